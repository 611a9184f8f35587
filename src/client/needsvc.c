#include "client/needsvc.h"

#include "client/outbox.h"
#include "core/xalloc.h"

bool needsvc_down(const struct outbox *o)
{
	return o && outbox_down(o);
}

bool needsvc_reply(const struct api_reply *reply)
{
	return reply && reply->outcome == API_UNREACHABLE;
}

char *needsvc_text_dup(const char *sentence, const struct api_reply *reply)
{
	if (reply && reply->outcome == API_UNREACHABLE && reply->tls != API_TLS_NONE)
		return xasprintf("%s %s", sentence, api_reply_text(reply));
	return xstrdup(sentence);
}
