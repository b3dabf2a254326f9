import 'reflect-metadata';
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CommanderError } from 'commander';
import { ConfigError, loadConfig } from '../config/app.config';
import { AppModule } from './app.module';
import { CliError, describeError } from './cli/cli-error';
import { buildProgram } from './cli/commands';

async function main(argv: string[]): Promise<number> {
  let app: INestApplicationContext | undefined;
  const boot = async () => {
    // Same modules as the server, without HTTP; creating the context runs pending migrations. The
    // background dispatcher stays off: a command does its one job and exits.
    const config = loadConfig();
    app = await NestFactory.createApplicationContext(
      AppModule.register({ ...config, notifications: { ...config.notifications, dispatch: false } }),
      { logger: ['error', 'warn'] },
    );
    return app;
  };
  const program = buildProgram(boot, (line) => process.stdout.write(`${line}\n`));
  try {
    await program.parseAsync(argv);
    // A command that ran but failed its purpose (an import refused for bad rows) sets the exit code.
    return Number(process.exitCode ?? 0);
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode; // commander already printed help or the problem
    if (error instanceof ConfigError || error instanceof CliError) process.stderr.write(`${error.message}\n`);
    else process.stderr.write(`Error: ${describeError(error)}\n`);
    return 1;
  } finally {
    await app?.close();
  }
}

main(process.argv).then((code) => process.exit(code));
