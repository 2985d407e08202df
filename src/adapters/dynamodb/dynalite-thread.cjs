// Runs dynalite on a worker thread of its own (see `startLocalDynalite({ thread: true })`), so the
// emulator's CPU work does not queue behind, or in front of, the bot's Slack acknowledgements.
// Plain CommonJS: a worker thread loads it by path, with no TypeScript loader in place.
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const { parentPort, workerData } = require('node:worker_threads');
const dynalite = require(workerData.dynalitePath);

// With `lowerPriority`, run below the thread that acknowledges Slack requests (see
// background-thread-priority.ts; Linux only, where a thread has its own nice value).
if (workerData.lowerPriority && process.platform === 'linux') {
  try {
    const taskId = Number(fs.readlinkSync('/proc/thread-self').split('/').pop());
    os.setPriority(taskId, workerData.lowerPriority);
  } catch {
    // Left at the process's priority.
  }
}

const server = dynalite(workerData.options);

server.once('error', (error) => {
  parentPort.postMessage({ type: 'error', message: error.message });
});

server.listen(workerData.port, workerData.host, () => {
  const { port } = server.address();
  // dynalite opens its LevelDB store in the background: one answered request means it is open (and
  // holds the folder's lock), so the caller's first call cannot race the opening.
  whenStoreAnswers(port, () => parentPort.postMessage({ type: 'listening', port }));
});

function whenStoreAnswers(port, then) {
  const request = http.request(
    {
      host: workerData.host,
      port,
      method: 'POST',
      path: '/',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'DynamoDB_20120810.ListTables',
        // dynalite checks that a signature is there, not that it is valid.
        authorization:
          'AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
        'x-amz-date': '20260101T000000Z',
      },
    },
    (response) => {
      response.resume();
      response.once('end', then);
    },
  );
  request.once('error', (error) => parentPort.postMessage({ type: 'error', message: error.message }));
  request.end('{}');
}

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
