/* The listening socket of balied, made here rather than by libmicrohttpd so
 * that a Unix socket gets its mode and a port 0 shows the port it got. */
#ifndef BALIED_LISTENER_H
#define BALIED_LISTENER_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Listens on "ADDR:PORT" (IPv4, or IPv6 in brackets: "[::1]:8439"). Returns
 * the descriptor and writes to shown the URL it is reachable at
 * ("http://127.0.0.1:41234"); -1 and *err (allocated, translated) on failure.
 */
int listener_tcp(const char *addr_port, char *shown, size_t shown_len, char **err);

/*
 * Listens on a Unix socket at path with the given mode, replacing a stale
 * socket file (one nobody answers on) but never another kind of file or a
 * live socket. Returns the descriptor, or -1 and *err.
 */
int listener_unix(const char *path, unsigned mode, char **err);

#endif
