// A byte pipe between network namespaces: `node bridge.mjs LISTEN CONNECT`, each `unix:PATH` or
// `tcp:HOST:PORT`. A Unix socket lives in the filesystem, not in a network namespace, so a pair of
// bridges joins a socket inside the test's "server" namespace to one on the host without a veth
// into the host's network. Prints "ready" once listening.
import { connect, createServer } from 'node:net';
import { rmSync } from 'node:fs';

const parse = (spec) => {
  if (spec.startsWith('unix:')) return { path: spec.slice(5) };
  const [, host, port] = spec.split(':');
  return { host, port: Number(port) };
};
const [listenOn, connectTo] = process.argv.slice(2).map(parse);
if (!listenOn || !connectTo) throw new Error('usage: bridge.mjs LISTEN CONNECT (unix:PATH | tcp:HOST:PORT)');
if (listenOn.path) rmSync(listenOn.path, { force: true });

const server = createServer((client) => {
  const upstream = connect(connectTo);
  client.pipe(upstream).pipe(client);
  const close = () => {
    client.destroy();
    upstream.destroy();
  };
  client.on('error', close);
  upstream.on('error', close);
  client.on('close', close);
  upstream.on('close', close);
});
server.listen(listenOn, () => console.log('ready'));
