/**
 * The report as one JSON object, written piece by piece: the summary first, then the list of
 * recommendations chunk by chunk (each row already JSON text), so a cycle of 100,000
 * recommendations is never one string.
 */
export async function* jsonChunks(summary: object, rows: AsyncIterable<string>): AsyncGenerator<string> {
  const head = JSON.stringify(summary);
  yield `${head.slice(0, -1)},"recommendations":[`;
  let first = true;
  for await (const chunk of rows) {
    if (chunk.length === 0) continue;
    yield first ? chunk : `,${chunk}`;
    first = false;
  }
  yield ']}\n';
}
