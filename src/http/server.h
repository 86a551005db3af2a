/* The HTTP server: libmicrohttpd in thread-pool + epoll mode, one DB connection per worker
 * thread, static files for the web app, graceful shutdown on SIGTERM/SIGINT. */
#ifndef NCCS_HTTP_SERVER_H
#define NCCS_HTTP_SERVER_H

/* Serves until SIGTERM/SIGINT, then finishes requests in flight. Returns the exit code. */
int server_run(void);

#endif
