/*
 * The hypnotics aggregation of scripts/bench-peers written directly against libcsv in C: the least per-row work any
 * reader built on libcsv must do, so a yardstick for how far wardsleep is from its parser's limit.
 *
 * usage: libcsv-floor FILE WARD DRUG DATETIME DOSE STATUS ORDER BASELINE_FROM BASELINE_TO PILOT_FROM PILOT_TO [parse]
 *
 * WARD ... STATUS are 0-based column indices; ORDER is dmy, mdy or iso (the date at the start of the datetime field);
 * the four period bounds are yyyymmdd. Fields are handled in libcsv's field callback as they come (no copy of the
 * record), labels are interned through a small hash table, the date is read off the bytes, the dose with strtod. The
 * groups are ward x lower-cased drug x period for rows whose lower-cased status is "given": doses (a count) and mg (a
 * sum), printed as JSON with the seconds the aggregation took. With `parse`, libcsv runs with callbacks that do nothing
 * but count (the parse-only pass). One thread; 1 MiB reads.
 *
 * Built by bench-peers with: cc -O2 -o libcsv-floor libcsv-floor.c -lcsv
 */
#include <csv.h>
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_LABELS 256
#define SLOTS 1024

typedef struct {
    char *text[MAX_LABELS];
    size_t length[MAX_LABELS];
    int count;
    int slot[SLOTS]; /* label index + 1; 0 empty */
} Labels;

static uint64_t hash(const unsigned char *p, size_t n) {
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 1099511628211ULL;
    return h;
}

/* The index of the label (lower-cased when `lower`), added on first sight; -1 when the table is full. */
static int intern(Labels *l, const unsigned char *p, size_t n, int lower) {
    unsigned char buf[256];
    if (n > sizeof buf) n = sizeof buf;
    if (lower) {
        for (size_t i = 0; i < n; i++) buf[i] = (unsigned char)tolower(p[i]);
        p = buf;
    }
    size_t s = hash(p, n) & (SLOTS - 1);
    while (l->slot[s]) {
        int i = l->slot[s] - 1;
        if (l->length[i] == n && memcmp(l->text[i], p, n) == 0) return i;
        s = (s + 1) & (SLOTS - 1);
    }
    if (l->count == MAX_LABELS) return -1;
    int i = l->count++;
    l->text[i] = malloc(n + 1);
    memcpy(l->text[i], p, n);
    l->text[i][n] = 0;
    l->length[i] = n;
    l->slot[s] = i + 1;
    return i;
}

typedef struct {
    int ward_col, drug_col, date_col, dose_col, status_col, order, parse_only;
    long b0, b1, p0, p1;
    int field;
    long rows, fields;
    int header_done;
    /* the row being read */
    int ward, drug, given;
    long date;
    double dose;
    Labels wards, drugs, statuses;
    int given_status;
    long doses[MAX_LABELS][MAX_LABELS][2];
    double mg[MAX_LABELS][MAX_LABELS][2];
} State;

static long read_date(const unsigned char *p, size_t n, int order) {
    long part[3] = {0, 0, 0};
    int k = 0, digits = 0;
    for (size_t i = 0; i < n && k < 3; i++) {
        if (p[i] >= '0' && p[i] <= '9') {
            part[k] = part[k] * 10 + (p[i] - '0');
            digits++;
        } else if (digits) {
            k++;
            digits = 0;
        } else {
            return -1;
        }
    }
    long y, m, d;
    if (order == 2) { y = part[0]; m = part[1]; d = part[2]; }
    else if (order == 1) { m = part[0]; d = part[1]; y = part[2]; }
    else { d = part[0]; m = part[1]; y = part[2]; }
    if (m < 1 || m > 12 || d < 1 || d > 31) return -1;
    return y * 10000 + m * 100 + d;
}

static void on_field(void *pv, size_t n, void *data) {
    State *s = data;
    int f = s->field++;
    s->fields++;
    if (s->parse_only || !s->header_done) return;
    const unsigned char *p = pv;
    if (f == s->ward_col) s->ward = intern(&s->wards, p, n, 0);
    else if (f == s->drug_col) s->drug = intern(&s->drugs, p, n, 1);
    else if (f == s->date_col) s->date = read_date(p, n, s->order);
    else if (f == s->status_col) s->given = intern(&s->statuses, p, n, 1) == s->given_status;
    else if (f == s->dose_col) {
        char buf[64];
        size_t m = n < sizeof buf - 1 ? n : sizeof buf - 1;
        memcpy(buf, p, m);
        buf[m] = 0;
        s->dose = strtod(buf, NULL);
    }
}

static void on_row(int c, void *data) {
    State *s = data;
    (void)c;
    if (s->field == 0) return;
    s->field = 0;
    s->rows++;
    if (s->parse_only) return;
    if (!s->header_done) { s->header_done = 1; return; }
    int period = s->date >= s->b0 && s->date <= s->b1 ? 0 : s->date >= s->p0 && s->date <= s->p1 ? 1 : -1;
    if (period >= 0 && s->given && s->ward >= 0 && s->drug >= 0) {
        s->doses[s->ward][s->drug][period]++;
        s->mg[s->ward][s->drug][period] += s->dose;
    }
    s->ward = s->drug = -1;
    s->given = 0;
    s->date = -1;
    s->dose = 0;
}

static void json_string(const char *t) {
    putchar('"');
    for (; *t; t++) {
        if (*t == '"' || *t == '\\') printf("\\%c", *t);
        else if ((unsigned char)*t < 0x20) printf("\\u%04x", *t);
        else putchar(*t);
    }
    putchar('"');
}

int main(int argc, char **argv) {
    if (argc < 12) {
        fprintf(stderr, "usage: libcsv-floor FILE WARD DRUG DATETIME DOSE STATUS ORDER B0 B1 P0 P1 [parse]\n");
        return 64;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    State *s = calloc(1, sizeof *s);
    s->ward_col = atoi(argv[2]);
    s->drug_col = atoi(argv[3]);
    s->date_col = atoi(argv[4]);
    s->dose_col = atoi(argv[5]);
    s->status_col = atoi(argv[6]);
    s->order = strcmp(argv[7], "iso") == 0 ? 2 : strcmp(argv[7], "mdy") == 0 ? 1 : 0;
    s->b0 = atol(argv[8]);
    s->b1 = atol(argv[9]);
    s->p0 = atol(argv[10]);
    s->p1 = atol(argv[11]);
    s->parse_only = argc > 12 && strcmp(argv[12], "parse") == 0;
    s->given_status = intern(&s->statuses, (const unsigned char *)"given", 5, 0);
    s->ward = s->drug = -1;
    FILE *f = fopen(argv[1], "rb");
    if (!f) { perror(argv[1]); return 66; }
    struct csv_parser p;
    if (csv_init(&p, CSV_REPALL_NL) != 0) return 70;
    char *buf = malloc(1 << 20);
    size_t n;
    while ((n = fread(buf, 1, 1 << 20, f)) > 0) {
        if (csv_parse(&p, buf, n, on_field, on_row, s) != n) {
            fprintf(stderr, "libcsv: %s\n", csv_strerror(csv_error(&p)));
            return 65;
        }
    }
    csv_fini(&p, on_field, on_row, s);
    csv_free(&p);
    fclose(f);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double seconds = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("{\"seconds\": %.6f, \"rows\": %ld, \"fields\": %ld, \"groups\": [", seconds, s->rows, s->fields);
    int first = 1;
    for (int w = 0; w < s->wards.count; w++)
        for (int d = 0; d < s->drugs.count; d++)
            for (int q = 0; q < 2; q++) {
                if (!s->doses[w][d][q]) continue;
                printf(first ? "[" : ", [");
                first = 0;
                json_string(s->wards.text[w]);
                printf(", ");
                json_string(s->drugs.text[d]);
                printf(", \"%s\", %ld, %.6f]", q == 0 ? "baseline" : "pilot", s->doses[w][d][q], s->mg[w][d][q]);
            }
    printf("]}\n");
    return 0;
}
