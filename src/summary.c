/* Counting codes per table row and printing them most frequent first. */
#include "summary.h"

#include <stdlib.h>
#include <string.h>

#include "diag.h"

int summary_init(struct summary *s)
{
    *s = (struct summary){.row = calloc(table_count(), sizeof *s->row)};
    return s->row ? 0 : -1;
}

void summary_free(struct summary *s)
{
    free(s->row);
    s->row = NULL;
}

void summary_add(struct summary *s, const struct wsa_error *e, const char *file, unsigned long long line)
{
    struct summary_row *r = &s->row[table_index(e)];
    if (r->count++ == 0)
        r->first_file = file, r->first_line = line, r->order = s->found++;
}

void summary_merge(struct summary *into, struct summary *from)
{
    for (size_t k = 0; k < from->found; k++)
        for (size_t i = 0; i < table_count(); i++) {
            struct summary_row *f = &from->row[i], *r = &into->row[i];
            if (f->count == 0 || f->order != k)
                continue;
            if (r->count == 0)
                r->first_file = f->first_file, r->first_line = f->first_line, r->order = into->found++;
            r->count += f->count;
        }
    memset(from->row, 0, table_count() * sizeof *from->row);
    from->found = 0;
}

static const struct summary *sorting; /* qsort has no context argument */

static int by_count(const void *a, const void *b)
{
    const struct summary_row *x = &sorting->row[*(const size_t *)a], *y = &sorting->row[*(const size_t *)b];
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    return (x->order > y->order) - (x->order < y->order);
}

int summary_print(const struct summary *s, FILE *out)
{
    size_t n = table_count(), used = 0;
    size_t *order = malloc(n * sizeof *order);
    if (!order) {
        fputs("wsaerr: summary: out of memory\n", out);
        return -1;
    }
    size_t name_width = 4;
    for (size_t i = 0; i < n; i++) {
        if (s->row[i].count == 0)
            continue;
        order[used++] = i;
        size_t w = strlen(table_at(i)->name);
        name_width = w > name_width ? w : name_width;
    }
    if (used == 0) {
        fputs("wsaerr: summary: no Winsock error found\n", out);
        free(order);
        return fflush(out) == 0 && !ferror(out) ? 0 : -1;
    }
    sorting = s;
    qsort(order, used, sizeof *order, by_count);
    fprintf(out, "%8s  %-6s %-*s  %s\n", "count", "code", (int)name_width, "name", "first seen");
    for (size_t k = 0; k < used; k++) {
        const struct summary_row *r = &s->row[order[k]];
        const struct wsa_error *e = table_at(order[k]);
        fprintf(out, "%8llu  %-6ld %-*s  ", r->count, e->code, (int)name_width, e->name);
        diag_fprint(out, "%s:%llu", r->first_file, r->first_line);
        fputc('\n', out);
    }
    free(order);
    return fflush(out) == 0 && !ferror(out) ? 0 : -1;
}
