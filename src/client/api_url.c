#include "client/api_url.h"

#include "core/i18n.h"
#include "core/xalloc.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/un.h>

static bool has_control_or_space(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s <= 0x20 || (unsigned char)*s == 0x7f)
			return true;
	return false;
}

bool api_url_host_is_loopback(const char *host)
{
	if (strcasecmp(host, "localhost") == 0)
		return true;
	char buf[64];
	size_t len = strlen(host);
	if (len >= 2 && host[0] == '[' && host[len - 1] == ']') {
		if (len - 2 >= sizeof buf)
			return false;
		memcpy(buf, host + 1, len - 2);
		buf[len - 2] = '\0';
	} else {
		if (len >= sizeof buf)
			return false;
		memcpy(buf, host, len + 1);
	}
	struct in_addr a4;
	struct in6_addr a6;
	if (inet_pton(AF_INET, buf, &a4) == 1)
		return (ntohl(a4.s_addr) >> 24) == 127;
	if (inet_pton(AF_INET6, buf, &a6) == 1)
		return IN6_IS_ADDR_LOOPBACK(&a6);
	return false;
}

static bool parse_unix(const char *path, struct api_url *out, char **err)
{
	struct sockaddr_un sun;
	if (path[0] != '/') {
		*err = xstrdup(_("a unix: address needs an absolute path, such as unix:/run/balied.sock"));
		return false;
	}
	if (strlen(path) >= sizeof sun.sun_path) {
		*err = xasprintf(_("the socket path is longer than %zu bytes"), sizeof sun.sun_path - 1);
		return false;
	}
	out->base = xstrdup("http://localhost");
	out->unix_path = xstrdup(path);
	return true;
}

/* A part of a URL, or NULL when it is absent. Free with curl_free. */
static char *url_part(CURLU *h, CURLUPart part)
{
	char *s = NULL;
	if (curl_url_get(h, part, &s, 0) != CURLUE_OK)
		return NULL;
	return s;
}

static bool check_parts(CURLU *h, char **err)
{
	static const CURLUPart forbidden[] = { CURLUPART_USER, CURLUPART_PASSWORD,
					       CURLUPART_QUERY, CURLUPART_FRAGMENT };
	for (size_t i = 0; i < sizeof forbidden / sizeof forbidden[0]; i++) {
		char *s = url_part(h, forbidden[i]);
		if (s) {
			curl_free(s);
			*err = xstrdup(_("the address may hold only the scheme, host, port and path"));
			return false;
		}
	}
	return true;
}

static bool parse_http(const char *url, struct api_url *out, char **err)
{
	CURLU *h = curl_url();
	if (!h)
		abort(); /* fails only when out of memory */
	bool ok = false;
	char *scheme = NULL, *host = NULL, *port = NULL, *path = NULL;
	if (curl_url_set(h, CURLUPART_URL, url, 0) != CURLUE_OK) {
		*err = xstrdup(_("not a valid address; use https://host, http:// to this machine, or unix:/path"));
		goto done;
	}
	scheme = url_part(h, CURLUPART_SCHEME);
	host = url_part(h, CURLUPART_HOST);
	port = url_part(h, CURLUPART_PORT);
	path = url_part(h, CURLUPART_PATH);
	if (!scheme || !host || (strcmp(scheme, "https") != 0 && strcmp(scheme, "http") != 0)) {
		*err = xstrdup(_("the address must start with https://, http:// (to this machine only) or unix:"));
		goto done;
	}
	if (!check_parts(h, err))
		goto done;
	if (strcmp(scheme, "http") == 0 && !api_url_host_is_loopback(host)) {
		*err = xasprintf(_("http:// is allowed only to this machine (127.0.0.1, ::1 or localhost); use https:// for %s"),
				 host);
		goto done;
	}
	size_t plen = path ? strlen(path) : 0;
	while (plen > 0 && path[plen - 1] == '/')
		plen--;
	out->base = xasprintf("%s://%s%s%s%.*s", scheme, host, port ? ":" : "", port ? port : "",
			      (int)plen, path ? path : "");
	out->unix_path = NULL;
	ok = true;
done:
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_free(path);
	curl_url_cleanup(h);
	return ok;
}

bool api_url_parse(const char *url, struct api_url *out, char **err)
{
	out->base = NULL;
	out->unix_path = NULL;
	if (!url || !*url) {
		*err = xstrdup(_("no server address is given"));
		return false;
	}
	if (has_control_or_space(url)) {
		*err = xstrdup(_("the address holds a space or a control character"));
		return false;
	}
	if (strncmp(url, "unix:", 5) == 0)
		return parse_unix(url + 5, out, err);
	return parse_http(url, out, err);
}

void api_url_clear(struct api_url *u)
{
	free(u->base);
	free(u->unix_path);
	u->base = NULL;
	u->unix_path = NULL;
}

static bool is_list_separator(char c)
{
	return c == ' ' || c == '\t' || c == ',';
}

bool api_url_list_parse(const char *list, struct api_url urls[API_URL_MAX], size_t *n,
			char **err)
{
	*n = 0;
	char *copy = xstrdup(list ? list : "");
	size_t count = 0;
	char *words[API_URL_MAX + 1];
	for (char *p = copy; *p && count <= API_URL_MAX;) {
		while (is_list_separator(*p))
			*p++ = '\0';
		if (!*p)
			break;
		words[count++] = p;
		while (*p && !is_list_separator(*p))
			p++;
	}
	bool ok = count > 0 && count <= API_URL_MAX;
	if (count == 0)
		*err = xstrdup(_("no server address is given"));
	else if (count > API_URL_MAX)
		*err = xasprintf(_("at most %d server addresses may be given"), API_URL_MAX);
	for (size_t i = 0; ok && i < count; i++) {
		char *why = NULL;
		ok = api_url_parse(words[i], &urls[i], &why);
		if (ok)
			continue;
		*err = count > 1 ? xasprintf(_("\"%s\": %s"), words[i], why) : xstrdup(why);
		free(why);
		while (i > 0)
			api_url_clear(&urls[--i]);
	}
	if (ok)
		*n = count;
	free(copy);
	return ok;
}
