/* Files compiled into the binary by cmake/embed.cmake (migrations, reference data, OpenAPI). */
#ifndef NCCS_UTIL_EMBED_H
#define NCCS_UTIL_EMBED_H
#include <stddef.h>

struct embedded_file {
    const char *path;          /* relative to the source root, or "gen/..." for generated files */
    const unsigned char *data; /* static; NUL-terminated after `size` bytes */
    size_t size;
};
extern const struct embedded_file embedded_files[];

/* Returns the embedded file with this path, or NULL. The result is static. */
const struct embedded_file *embed_find(const char *path);

#endif
