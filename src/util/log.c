#include "util/log.h"
#include <stdarg.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

void log_line(const char *line, int len)
{
    char buf[4096];
    if (len < 0 || (size_t)len > sizeof buf - 2)
        len = (int)sizeof buf - 2;
    for (int i = 0; i < len; i++)
        buf[i] = line[i];
    buf[len] = '\n';
    ssize_t w = write(STDERR_FILENO, buf, (size_t)len + 1);
    (void)w;
}

void log_msg(const char *level, const char *fmt, ...)
{
    char buf[2048];
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    int n = snprintf(buf, sizeof buf, "{\"t\":%lld.%03ld,\"level\":\"%s\",\"msg\":\"",
                     (long long)ts.tv_sec, ts.tv_nsec / 1000000, level);
    char msg[1536];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    /* Escape the message as a JSON string, dropping control characters. */
    for (const char *p = msg; *p && n < (int)sizeof buf - 4; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '"' || c == '\\') {
            buf[n++] = '\\';
            buf[n++] = (char)c;
        } else if (c >= 0x20) {
            buf[n++] = (char)c;
        }
    }
    buf[n++] = '"';
    buf[n++] = '}';
    log_line(buf, n);
}
