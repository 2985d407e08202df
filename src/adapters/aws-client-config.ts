/** True for an endpoint on this machine: an emulator such as dynalite, or a test stub. */
export function isLoopbackEndpoint(endpoint: string | undefined): boolean {
  if (!endpoint) return false;
  let hostname: string;
  try {
    hostname = new URL(endpoint).hostname;
  } catch {
    return false;
  }
  return (
    hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)
  );
}

/**
 * The region, and for a loopback endpoint placeholder credentials: emulators check only that a
 * request is signed, and the SDK would otherwise search for real credentials and fail without them.
 * `endpoint` is the one the client will use (the SDK reads `AWS_ENDPOINT_URL_<SERVICE>` itself).
 */
export function awsClientConfig(
  region: string,
  endpoint: string | undefined,
): { region: string; credentials?: { accessKeyId: string; secretAccessKey: string } } {
  return isLoopbackEndpoint(endpoint)
    ? { region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
    : { region };
}
