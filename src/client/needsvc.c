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
	bool setup = reply && reply->outcome == API_UNREACHABLE && reply->tls != API_TLS_NONE;
	return needsvc_words_dup(sentence, setup ? api_reply_text(reply) : NULL);
}

char *needsvc_words_dup(const char *sentence, const char *setup_text)
{
	return setup_text ? xasprintf("%s %s", sentence, setup_text) : xstrdup(sentence);
}
