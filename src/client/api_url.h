/* The server addresses balie accepts (DESIGN.md section 4): https:// to any
 * host, http:// only to this machine, or unix:/path for HTTP over a Unix
 * socket. Shared by the api (to connect) and the config (to refuse a bad
 * address with its line number). */
#ifndef BALIE_API_URL_H
#define BALIE_API_URL_H

#include <stdbool.h>
#include <stddef.h>

struct api_url {
	char *base;      /* "https://host:port[/prefix]" or "http://localhost" for unix: */
	char *unix_path; /* the socket for unix:, else NULL */
};

/*
 * Checks url and fills *out (free its members with api_url_clear). On a bad
 * address returns false and sets *err (allocated, translated, without the
 * address itself so that callers can add their own context).
 */
bool api_url_parse(const char *url, struct api_url *out, char **err);
void api_url_clear(struct api_url *u);

/* The most addresses a server list may hold. */
enum { API_URL_MAX = 8 };

/*
 * Checks a list of one to API_URL_MAX addresses separated by spaces or
 * commas (the nodes of one service, tried in turn) and fills urls[0..*n).
 * On a bad list returns false, sets *err (allocated, translated; it names
 * the bad address when the list has more than one) and fills nothing; free
 * the filled ones with api_url_clear.
 */
bool api_url_list_parse(const char *list, struct api_url urls[API_URL_MAX], size_t *n,
			char **err);

/* True when host (as in a URL, IPv6 in brackets or not) is this machine. */
bool api_url_host_is_loopback(const char *host);

#endif
