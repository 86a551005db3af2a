// Free TCP port on 127.0.0.1 (bind to port 0, read it, close). There is a
// small race until the caller binds it; callers retry when that matters.
import net from 'node:net';

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}
