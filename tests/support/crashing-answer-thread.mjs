// A stand-in for the answer thread's entry (see AnswerThread's `entry` option) that throws an
// uncaught exception on an answer, as a bug would: `crash: 'once'` only in its first life (a marker
// file under DATA_DIR tells the next one), `crash: 'always'` every time. Every delivery it is given
// is appended to DATA_DIR/deliveries as "<postTs> <deliveryId>".
import { appendFileSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';

const { DATA_DIR: dataDir, crash } = workerData.config;
const marker = join(dataDir, 'crashed-once');

parentPort.on('message', (message) => {
  if (message.type === 'close') {
    parentPort.postMessage({ type: 'closed' });
    return;
  }
  appendFileSync(join(dataDir, 'deliveries'), `${message.request.source.postTs} ${message.deliveryId}\n`);
  if (crash === 'always' || !existsSync(marker)) {
    writeFileSync(marker, '');
    throw new Error('a bug in the answering code');
  }
  parentPort.postMessage({ type: 'done', id: message.id });
});
parentPort.postMessage({ type: 'ready' });
