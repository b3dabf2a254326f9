// ad-hoc: boot the bench server with a persistent DB, print ready info, keep running
const { fork } = require('node:child_process');
const dir = '/tmp/benchprobe';
const child = fork('./dist/bench/server.js', [JSON.stringify({ env: { DATABASE_URL: `sqlite:${dir}/bench.sqlite`, DATA_DIR: dir }, size: 100000 })], { stdio: 'inherit', execArgv: process.argv.slice(2) });
child.on('message', (m) => { require('fs').writeFileSync(dir + '/ready.json', JSON.stringify(m)); console.log(JSON.stringify(m)); });
process.on('SIGTERM', () => { child.send('stop'); });
child.on('exit', () => process.exit(0));
