#include "core/jsonx.h"

#include "core/xalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int depth_of(const cJSON *item)
{
	int deepest = 0;
	for (const cJSON *c = item ? item->child : NULL; c; c = c->next) {
		int d = depth_of(c);
		if (d > deepest)
			deepest = d;
		if (deepest >= JSONX_MAX_DEPTH)
			break;
	}
	return item && (cJSON_IsArray(item) || cJSON_IsObject(item)) ? deepest + 1 : deepest;
}

cJSON *jsonx_parse(const char *buf, size_t len, char **err)
{
	const char *end = NULL;
	cJSON *root = cJSON_ParseWithLengthOpts(buf, len, &end, false);
	if (!root) {
		if (err)
			*err = xasprintf("invalid JSON at byte %td", end ? end - buf : (ptrdiff_t)0);
		return NULL;
	}
	for (const char *p = end; p < buf + len; p++) {
		if (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\n') {
			if (err)
				*err = xasprintf("trailing data at byte %td", p - buf);
			cJSON_Delete(root);
			return NULL;
		}
	}
	if (depth_of(root) > JSONX_MAX_DEPTH) {
		if (err)
			*err = xasprintf("JSON nested deeper than %d", JSONX_MAX_DEPTH);
		cJSON_Delete(root);
		return NULL;
	}
	return root;
}

const char *jsonx_string(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

bool jsonx_int(const cJSON *obj, const char *key, long long *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (!cJSON_IsNumber(v))
		return false;
	double d = v->valuedouble;
	if (!isfinite(d) || d != floor(d) || fabs(d) > 9007199254740992.0)
		return false;
	*out = (long long)d;
	return true;
}

bool jsonx_bool(const cJSON *obj, const char *key, bool *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (!cJSON_IsBool(v))
		return false;
	*out = cJSON_IsTrue(v);
	return true;
}

const cJSON *jsonx_array(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	return cJSON_IsArray(v) ? v : NULL;
}

const cJSON *jsonx_object(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	return cJSON_IsObject(v) ? v : NULL;
}

char *jsonx_print_dup(const cJSON *item)
{
	char *text = cJSON_PrintUnformatted(item);
	if (!text)
		abort(); /* cJSON fails only when out of memory */
	char *copy = xstrdup(text);
	cJSON_free(text);
	return copy;
}
