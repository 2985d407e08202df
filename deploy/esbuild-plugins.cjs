// esbuild plugins for the Lambda bundles (serverless-esbuild `custom.esbuild.plugins`; bench/ uses them too).
//
// Bolt's CommonJS entry loads every receiver, so a bundle that only uses AwsLambdaReceiver still
// carries Socket Mode's client and the npm undici it brings (about 525 KB minified). On Lambda the
// Socket Mode client is never constructed (only SocketModeReceiver's constructor touches it), so it
// resolves to a stand-in that fails loudly if that ever changes.
const SOCKET_MODE = /^@slack\/socket-mode$/;
const NAMESPACE = 'architect-not-on-lambda';

const notOnLambda = `
const explain = (name) => {
  throw new Error('@slack/socket-mode (' + String(name) + ') is left out of the Lambda bundle: Socket Mode runs only with pnpm start.');
};
module.exports = new Proxy({}, {
  get(_target, name) {
    if (name === '__esModule' || typeof name === 'symbol') return undefined;
    return explain(name);
  },
});
`;

/** Resolves `@slack/socket-mode` to a stand-in module. */
const leaveOutSocketMode = {
  name: 'leave-out-socket-mode',
  setup(build) {
    build.onResolve({ filter: SOCKET_MODE }, (args) => ({ path: args.path, namespace: NAMESPACE }));
    build.onLoad({ filter: /.*/, namespace: NAMESPACE }, () => ({ contents: notOnLambda, loader: 'js' }));
  },
};

module.exports = [leaveOutSocketMode];
