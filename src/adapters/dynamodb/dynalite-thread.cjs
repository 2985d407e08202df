// Runs dynalite on a worker thread of its own (see `startLocalDynalite({ thread: true })`), so the
// emulator's CPU work does not queue behind, or in front of, the bot's Slack acknowledgements.
// Plain CommonJS: a worker thread loads it by path, with no TypeScript loader in place.
const { parentPort, workerData } = require('node:worker_threads');
const dynalite = require(workerData.dynalitePath);

const server = dynalite(workerData.options);

server.once('error', (error) => {
  parentPort.postMessage({ type: 'error', message: error.message });
});

server.listen(workerData.port, workerData.host, () => {
  parentPort.postMessage({ type: 'listening', port: server.address().port });
});

parentPort.on('message', (message) => {
  if (message !== 'close') return;
  server.close((error) => {
    parentPort.postMessage(error ? { type: 'error', message: error.message } : { type: 'closed' });
    parentPort.close();
  });
  // dynalite closes LevelDB only once the HTTP server has stopped, which waits for every open
  // connection (Node 20 drops only the idle ones): end requests still in flight too.
  server.closeAllConnections();
});
