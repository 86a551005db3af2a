/* One-line structured logging to stderr. Each call is a single write(2), so lines from
 * concurrent threads never interleave. */
#ifndef NCCS_UTIL_LOG_H
#define NCCS_UTIL_LOG_H

void log_msg(const char *level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define log_info(...)  log_msg("info", __VA_ARGS__)
#define log_warn(...)  log_msg("warn", __VA_ARGS__)
#define log_error(...) log_msg("error", __VA_ARGS__)
/* Writes a preformatted line (a newline is added). */
void log_line(const char *line, int len);

#endif
