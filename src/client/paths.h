/* Where balie keeps its files: the XDG base directories, each with the
 * specification's default under HOME, and balie's own directory in each. */
#ifndef BALIE_PATHS_H
#define BALIE_PATHS_H

#include <stdbool.h>
#include <sys/types.h>

enum paths_kind {
	PATHS_CONFIG,  /* $XDG_CONFIG_HOME, default ~/.config */
	PATHS_DATA,    /* $XDG_DATA_HOME, default ~/.local/share */
	PATHS_STATE,   /* $XDG_STATE_HOME, default ~/.local/state */
	PATHS_RUNTIME, /* $XDG_RUNTIME_DIR, no default */
};

/*
 * Returns the base directory of kind, newly allocated. A variable that is
 * unset, empty or not an absolute path is ignored, as the specification says.
 * Returns NULL only for PATHS_RUNTIME when $XDG_RUNTIME_DIR is not usable.
 */
char *paths_base_dup(enum paths_kind kind);

/*
 * Returns "<base>/balie", newly allocated; with create, makes it (and any
 * missing parent) with mode 0700. Returns NULL and sets *err (allocated) when
 * it cannot, or for PATHS_RUNTIME when there is no runtime directory.
 */
char *paths_app_dir_dup(enum paths_kind kind, bool create, char **err);

/* Returns "<base>/balie/<name>", newly allocated, creating the directory as
 * paths_app_dir_dup does. */
char *paths_app_file_dup(enum paths_kind kind, const char *name, bool create, char **err);

/* Makes path and its missing parents with mode; an existing directory is
 * fine. Returns false and sets *err (allocated) on failure. */
bool paths_mkdir_p(const char *path, mode_t mode, char **err);

/* Returns the home directory, newly allocated ($HOME, else the password
 * database, else "/"). */
char *paths_home_dup(void);

/* Returns the directory for files the user asks for (an export), newly
 * allocated: $XDG_DOWNLOAD_DIR, else XDG_DOWNLOAD_DIR in the user-dirs.dirs
 * file of $XDG_CONFIG_HOME, when it is a directory; else the home directory.
 * Never the directory the program was started from. */
char *paths_download_dir_dup(void);

/* Returns path with a leading "~/" replaced by the home directory, newly
 * allocated; any other path is copied as it is. */
char *paths_expand_dup(const char *path);

#endif
