/* The sanitiser: what the desk shows of text that came from outside. */
#include "core/sanitize.h"
#include "tap.h"

#include <stdlib.h>

#define FFFD "\xef\xbf\xbd"

static void check(const char *in, size_t len, const char *want, const char *what)
{
	char *got = sanitize_dup(in, len);
	is_str(got, want, "%s", what);
	ok(sanitize_is_clean(got), "%s: the result counts as clean", what);
	free(got);
}

#define CHECK(lit, want, what) check(lit, sizeof(lit) - 1, want, what)

int main(void)
{
	CHECK("De avonden", "De avonden", "plain ASCII is kept");
	CHECK("Caf\xc3\xa9 \xe2\x82\xac 5", "Caf\xc3\xa9 \xe2\x82\xac 5", "accents and the euro sign are kept");
	CHECK("\xe6\xbc\xa2\xe5\xad\x97 \xf0\x9f\x93\x9a", "\xe6\xbc\xa2\xe5\xad\x97 \xf0\x9f\x93\x9a",
	      "wide CJK characters and an emoji are kept");
	CHECK("\x1b[31mred\x1b[0m", "[31mred[0m", "ESC is dropped, so CSI cannot start");
	CHECK("a\x1b]0;title\x07z", "a]0;titlez", "OSC with BEL terminator is defused");
	CHECK("a\x1bP1;2q\x1b\\z", "aP1;2q\\z", "DCS is defused");
	CHECK("x\x9b" "31mz", "x" FFFD "31mz", "a lone 0x9B byte (8-bit CSI) becomes U+FFFD");
	CHECK("x\xc2\x9b" "31mz", "x31mz", "an encoded C1 control U+009B is dropped");
	CHECK("a\tb\nc\rd", "a b c d", "TAB, LF and CR become spaces");
	CHECK("a\bb\x7f" "c\x01", "abc", "BS, DEL and other C0 controls are dropped");
	CHECK("a\0b", "ab", "a NUL inside the text is dropped");
	CHECK("abc\xe2\x80\xae" "fdp.exe", "abcfdp.exe", "a right-to-left override is dropped");
	CHECK("\xe2\x81\xa6" "x" "\xe2\x81\xa9", "x", "bidi isolates are dropped");
	CHECK("\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad", "", "all bidi embeddings are dropped");
	CHECK("\xc0\xaf", FFFD FFFD, "an overlong '/' becomes two replacement characters");
	CHECK("\xe0\x80\xaf", FFFD FFFD FFFD, "a three-byte overlong form is replaced");
	CHECK("\xed\xa0\x80", FFFD FFFD FFFD, "an encoded surrogate is replaced");
	CHECK("\xf4\x90\x80\x80", FFFD FFFD FFFD FFFD, "a code point beyond U+10FFFF is replaced");
	CHECK("ab\xe2\x82", "ab" FFFD, "a truncated sequence at the end is one replacement");
	CHECK("\xe2\x82" "x", FFFD "x", "a truncated sequence before ASCII is one replacement");
	CHECK("\xff\xfe", FFFD FFFD, "bytes that never occur in UTF-8 are replaced");
	CHECK("", "", "the empty string stays empty");

	ok(!sanitize_is_clean("a\x1b"), "ESC is not clean");
	ok(!sanitize_is_clean("\xc3"), "a truncated sequence is not clean");
	ok(sanitize_is_clean("Ren\xc3\xa9"), "Ren\xc3\xa9 is clean");

	size_t big = 10000;
	char *hostile = malloc(big);
	for (size_t i = 0; i < big; i++)
		hostile[i] = (char)(i % 2 ? 0x9b : 0x1b);
	char *out = sanitize_dup(hostile, big);
	ok(sanitize_is_clean(out), "10 kB of ESC and 0x9B come out clean");
	free(out);
	free(hostile);
	return tap_done();
}
