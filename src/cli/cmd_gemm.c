/* cmd_gemm.c - fp8lab gemm: C = A x B^T of code matrices through a
 * dot-product unit (dot.h's fp8_gemm), output as binary or text. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "dot.h"
#include "gemm_block.h"

#define MAX_OUTPUTS (1ul << 26)   /* 256 MiB of f32 outputs */

static void usage(FILE *out)
{
  fprintf(out,
          "Usage: fp8lab gemm -m M -n N -k K [--unit U] [--promote P] [--splitk S|auto]\n"
          "                   [--a-format F] [--b-format G] [--scale-a S] [--scale-b T]\n"
          "                   [--out f32|bf16|f16] [--a-scales FILE] [--b-scales FILE]\n"
          "                   [-o FILE] [--tsv] A.bin B.bin\n"
          "C = A x B^T through a dot-product unit: A.bin holds M x K codes of F and B.bin\n"
          "N x K codes of G, one byte each, row-major (row j of B is column j of the\n"
          "product, torch._scaled_mm's layout).  Each output is one chain over K: steps of\n"
          "the unit's n products (the last padded with zeros), promotion into fp32 every P\n"
          "steps, then out = round(round_fp32(acc * round_fp32(S * T))) into the output type.\n"
          "The output is M x N little-endian values row-major (4 bytes f32, 2 bytes\n"
          "bf16/f16) on standard output (not a terminal) or FILE; --tsv prints\n"
          "'row col code value' lines instead.\n\n"
          "  --unit U        a dot-product unit (default hopper-fp8): hopper-fp8, ada-fp8,\n"
          "                  blackwell-fp8, an accumulator (fp32, bf16, fp16, kulisch, eXmY:\n"
          "                  one exact product per step), with :key=value overrides\n"
          "                  (n, window, term, zero, c, acc, round, promote, kblock, group;\n"
          "                  see fp8lab(1)); for block formats a block-scaled unit:\n"
          "                  blackwell-mxf8f6f4 (default for blocks of 32), blackwell-mxf4,\n"
          "                  blackwell-nvf4 (default for blocks of 16), mx-exact, nvfp4-exact\n"
          "  --promote P     promote into fp32 every P steps (0: one chain, the default;\n"
          "                  4 is cuBLAS without fast accumulation: every 128 values of K)\n"
          "  --splitk S|auto split K into S chunks on 128-product tiles, one chain each,\n"
          "                  their fp32 results added in order (1: one chain, the default);\n"
          "                  auto: cuBLAS's split as measured on Hopper (K <= 4096: 1, else\n"
          "                  ceil(K/3072)); per-tensor formats only; see fp8lab(1)\n"
          "  --a-format F    format of A (default float8_e4m3fn); at most 8 bits; or a\n"
          "                  block format (mxfp8_e4m3, mxfp8_e5m2, mxfp6_e3m2, mxfp6_e2m3,\n"
          "                  mxfp4_e2m1, mxint8, nvfp4, block:...): then A.bin holds the codes\n"
          "                  and the scales section of 'fp8lab cast --binary --row K' (see\n"
          "                  --a-scales), and B must be a block format too\n"
          "  --b-format G    format of B (default F)\n"
          "  --a-scales FILE, --b-scales FILE  the scales section of a block operand in its\n"
          "                  own file (cast's --scales): for NVFP4 the float32 tensor scale\n"
          "                  T, then one scale code per block of K, one byte each, row-major;\n"
          "                  without it the section follows the codes in A.bin / B.bin\n"
          "  -m, -n, -k      the shape (required)\n"
          "  --scale-a S, --scale-b T  float32 scales (default 1); for NVFP4 operands\n"
          "                  the tensor scales T of the scales sections take their place\n"
          "  --out O         f32 (default), bf16, f16, or any float format of at most 32 bits\n"
          "                  that has a NaN (a NaN output is written as 0x7fffffff, 0x7fff,\n"
          "                  or the format's own NaN where all magnitude bits set is not one)\n"
          "  -o FILE         write to FILE (atomically) instead of standard output\n"
          "  --tsv           text output: row, col, output code (hex), its value\n"
          "  --help          this text\n"
          "Exit status: 0 ok, 1 I/O error, 2 usage (bad shape, file size, code, format,\n"
          "unit, or an -o FILE that cannot be written).\n");
}

/* The whole file, which must hold exactly want bytes (gemm_block.h). */
uint8_t *gemm_read_exact(const char *path, size_t want, const char *what, const char *expl, int *rc)
{
  FILE *f = fopen(path, "rb");
  if (!f) {
    cli_error("gemm", "cannot open %s '%s': %s", what, path, strerror(errno));
    *rc = EXIT_FAIL;
    return NULL;
  }
  struct stat st;
  if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && (unsigned long long)st.st_size != want) {
    cli_usage_error("gemm", "%s '%s' has %lld bytes (expected exactly %zu: %s)",
                    what, path, (long long)st.st_size, want, expl);
    fclose(f);
    *rc = EXIT_USAGE;
    return NULL;
  }
  uint8_t *p = malloc(want + 1);
  size_t got = p ? fread(p, 1, want + 1, f) : 0;
  int err = ferror(f);
  fclose(f);
  if (!p || err) {
    cli_error("gemm", "cannot read %s '%s'%s", what, path, p ? "" : ": out of memory");
    free(p);
    *rc = EXIT_FAIL;
    return NULL;
  }
  if (got != want) {
    cli_usage_error("gemm", "%s '%s' has %s%zu bytes (expected exactly %zu: %s)",
                    what, path, got > want ? "more than " : "", got > want ? want : got, want, expl);
    free(p);
    *rc = EXIT_USAGE;
    return NULL;
  }
  return p;
}

static int out_format(const char *s, fp8_format *f)
{
  const char *name = !strcmp(s, "f32") ? "fp32" : !strcmp(s, "f16") ? "fp16" : s;
  char err[1024];
  *f = (fp8_format){0};   /* the message below reads ebits even when the parse fails */
  if (fp8_format_parse(name, f, err, sizeof err) || f->ebits == 0) {
    cli_usage_error("gemm", "--out: '%s' (expected f32, bf16, f16 or a float format)%s%s", s,
                    f->ebits == 0 ? "" : ": ", f->ebits == 0 ? "" : err);
    return -1;
  }
  if (!fp8_format_has_nan(f)) {   /* one rule whatever the data (dot.h: the GEMM epilogue) */
    cli_usage_error("gemm", "--out: %s has no NaN (expected a format with a NaN code, e.g. f32, bf16, f16, "
                    "float8_e4m3fn)", s);
    return -1;
  }
  return 0;
}

static int write_out(FILE *fp, const fp8_format *fo, const void *c, size_t m, size_t n, bool tsv)
{
  size_t sz = fo->bits <= 16 ? 2 : 4;
  for (size_t i = 0; i < m * n; i++) {
    uint32_t code = sz == 2 ? ((const uint16_t *)c)[i] : ((const uint32_t *)c)[i];
    if (tsv) {
      char v[48];
      fp8_format_double(v, sizeof v, fp8_codec_decode(fo, code));
      fprintf(fp, "%zu\t%zu\t0x%0*x\t%s\n", i / n, i % n, (int)(2 * sz), code, v);
    } else {
      uint8_t b[4] = {(uint8_t)code, (uint8_t)(code >> 8), (uint8_t)(code >> 16), (uint8_t)(code >> 24)};
      fwrite(b, 1, sz, fp);
    }
  }
  return ferror(fp) ? -1 : 0;
}

/* The command line, as given (bf defaults to af once parsed; blk: both
 * operands are block formats). */
typedef struct gemm_opts {
  const char *unit, *af, *bf, *outs, *path, *as, *bs;
  long m, n, k, promote, splitk;
  double sa, sb;
  bool tsv, sa_set, sb_set, blk;
  char **files;   /* A.bin, B.bin */
} gemm_opts;

/* Block operands: parse, check the unit, read, multiply into C. */
static int run_block(const gemm_opts *o, const fp8_format *fo, void *C)
{
  fp8_block_format ba, bb;
  fp8_dot_spec spec;
  char err[1024];
  size_t m = (size_t)o->m, n = (size_t)o->n, k = (size_t)o->k;
  if (fp8_block_parse(o->af, &ba, err, sizeof err))
    return cli_usage_error("gemm", "--a-format: %s", err);
  if (fp8_block_parse(o->bf, &bb, err, sizeof err))
    return cli_usage_error("gemm", "--b-format: %s", err);
  const char *unit = o->unit ? o->unit : ba.block == 16 ? "blackwell-nvf4" : "blackwell-mxf8f6f4";
  if (fp8_dot_spec_parse(unit, &spec, err, sizeof err))
    return cli_usage_error("gemm", "--unit: %s", err);
  if (o->promote >= 0)
    spec.promote = (int)o->promote;
  if (o->splitk)
    spec.splitk = (int)o->splitk;
  if ((ba.tensor && o->sa_set) || (bb.tensor && o->sb_set))
    return cli_usage_error("gemm", "--scale-%c: %s has its own tensor scale (in its scales section)",
                           ba.tensor && o->sa_set ? 'a' : 'b', ba.tensor && o->sa_set ? ba.name : bb.name);
  fp8_dot *probe = fp8_dot_alloc(&ba, &bb, &spec, err, sizeof err);
  if (probe && fp8_dot_splitk_chunks(&spec, k, NULL) > 1) {
    fp8_dot_free(probe);
    return cli_usage_error("gemm", "--splitk: K = %zu would be split, and split-K is modelled for per-tensor "
                           "formats only (expected 1 with %s)", k, o->af);
  }
  if (!probe)
    return cli_usage_error("gemm", "--unit %s: %s", unit, err);
  fp8_dot_free(probe);
  gemm_block_operand A, B;
  int rc = gemm_block_read(o->files[0], o->as, &ba, m, k, "A", &A);
  if (rc)
    return rc;
  rc = gemm_block_read(o->files[1], o->bs, &bb, n, k, "B", &B);
  if (rc) {
    gemm_block_free(&A);
    return rc;
  }
  float ta = ba.tensor ? A.t : (float)o->sa, tb = bb.tensor ? B.t : (float)o->sb;
  if (fp8_gemm(&spec, &ba, &bb, m, n, k, A.codes, B.codes, A.scales, B.scales, ta, tb, fo, C, err,
               sizeof err)) {
    cli_error("gemm", "%s", err);
    rc = EXIT_FAIL;
  }
  gemm_block_free(&A);
  gemm_block_free(&B);
  return rc;
}

/* Per-tensor operands: parse, check the unit, read, multiply into C. */
static int run_plain(const gemm_opts *o, const fp8_format *fo, void *C)
{
  fp8_format fa, fb;
  fp8_dot_spec spec;
  char err[1024];
  size_t m = (size_t)o->m, n = (size_t)o->n, k = (size_t)o->k;
  const char *unit = o->unit ? o->unit : "hopper-fp8";
  if (cli_parse_format("gemm", "--a-format", o->af, &fa) || cli_parse_format("gemm", "--b-format", o->bf, &fb))
    return EXIT_USAGE;
  if (fp8_dot_spec_parse(unit, &spec, err, sizeof err))
    return cli_usage_error("gemm", "--unit: %s", err);
  if (o->promote >= 0)
    spec.promote = (int)o->promote;
  if (o->splitk)
    spec.splitk = (int)o->splitk;
  if (fa.bits > 8 || fb.bits > 8)
    return cli_usage_error("gemm", "input format %s has %d bits (expected at most 8: one byte per code)",
                           fa.bits > 8 ? fa.name : fb.name, fa.bits > 8 ? fa.bits : fb.bits);
  fp8_block_format oa, ob;
  fp8_block_from_format(&fa, &oa);
  fp8_block_from_format(&fb, &ob);
  fp8_dot *probe = fp8_dot_alloc(&oa, &ob, &spec, err, sizeof err);
  if (!probe)
    return cli_usage_error("gemm", "--unit %s: %s", unit, err);
  fp8_dot_free(probe);
  int rc = EXIT_OK;
  const char *expl = "the shape's codes, one byte each";
  uint8_t *A = gemm_read_exact(o->files[0], m * k, "A", expl, &rc), *B = NULL;
  if (A)
    B = gemm_read_exact(o->files[1], n * k, "B", expl, &rc);
  char what[40];
  for (int i = 0; i < 2 && A && B && rc == EXIT_OK; i++) {
    snprintf(what, sizeof what, "%c '%s'", "AB"[i], o->files[i]);   /* a byte's index is its offset */
    if (fp8_gemm_check_codes(i ? &fb : &fa, i ? B : A, i ? n : m, k, what, err, sizeof err))
      rc = cli_usage_error("gemm", "%s", err);
  }
  if (A && B && rc == EXIT_OK && fp8_gemm(&spec, &oa, &ob, m, n, k, A, B, NULL, NULL, (float)o->sa, (float)o->sb,
                                          fo, C, err, sizeof err)) {
    cli_error("gemm", "%s", err);
    rc = EXIT_FAIL;
  }
  free(A);
  free(B);
  return rc;
}

/* --splitk through the unit key's own parser and message.  -1: go on. */
static int parse_splitk(const char *arg, long *splitk)
{
  char key[64], err[320];
  fp8_dot_spec sk;
  snprintf(key, sizeof key, "fp32:splitk=%.40s", arg);
  if (strchr(arg, ':') || strlen(arg) > 40 || fp8_dot_spec_parse(key, &sk, err, sizeof err))
    return cli_usage_error("gemm", "--splitk: '%s' (expected auto or 1..%d chunks of K)", arg, FP8_DOT_MAX_SPLITK);
  *splitk = sk.splitk;
  return -1;
}

/* The options and the two file arguments.  -1: go on; else the exit status. */
static int gemm_parse(int argc, char **argv, gemm_opts *o)
{
  static const struct option opts[] = {
    {"unit", required_argument, NULL, 'u'},    {"promote", required_argument, NULL, 'P'},
    {"a-format", required_argument, NULL, 'A'}, {"b-format", required_argument, NULL, 'B'},
    {"scale-a", required_argument, NULL, 'S'}, {"scale-b", required_argument, NULL, 'T'},
    {"out", required_argument, NULL, 'O'},     {"tsv", no_argument, NULL, 't'},
    {"a-scales", required_argument, NULL, 'x'}, {"b-scales", required_argument, NULL, 'y'},
    {"splitk", required_argument, NULL, 'K'},  {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0}};
  *o = (gemm_opts){.af = "float8_e4m3fn", .outs = "f32", .m = -1, .n = -1, .k = -1, .promote = -1, .sa = 1, .sb = 1};
  int c, rc;
  while ((c = getopt_long(argc, argv, "+m:n:k:o:u:P:A:B:S:T:O:th", opts, NULL)) != -1) {
    switch (c) {
    case 'm': if (cli_parse_long("gemm", "-m", optarg, 1, 1l << 30, &o->m)) return EXIT_USAGE; break;
    case 'n': if (cli_parse_long("gemm", "-n", optarg, 1, 1l << 30, &o->n)) return EXIT_USAGE; break;
    case 'k': if (cli_parse_long("gemm", "-k", optarg, 1, 1l << 31, &o->k)) return EXIT_USAGE; break;
    case 'P': if (cli_parse_long("gemm", "--promote", optarg, 0, 1l << 20, &o->promote)) return EXIT_USAGE; break;
    case 'S': if (cli_parse_double("gemm", "--scale-a", optarg, &o->sa)) return EXIT_USAGE; o->sa_set = true; break;
    case 'T': if (cli_parse_double("gemm", "--scale-b", optarg, &o->sb)) return EXIT_USAGE; o->sb_set = true; break;
    case 'K': if ((rc = parse_splitk(optarg, &o->splitk)) >= 0) return rc; break;
    case 'o': o->path = optarg; break;
    case 'u': o->unit = optarg; break;
    case 'A': o->af = optarg; break;
    case 'B': o->bf = optarg; break;
    case 'x': o->as = optarg; break;
    case 'y': o->bs = optarg; break;
    case 'O': o->outs = optarg; break;
    case 't': o->tsv = true; break;
    case 'h': usage(stdout); return EXIT_OK;
    default: return cli_usage_error("gemm", "unknown option");
    }
  }
  if (argc - optind != 2)
    return cli_usage_error("gemm", "expected two files A.bin B.bin (got %d arguments)", argc - optind);
  o->files = argv + optind;
  return -1;
}

/* The shape, the operand kinds, the output format and where it goes.  -1: go on. */
static int gemm_check(gemm_opts *o, fp8_format *fo)
{
  if (o->m < 0 || o->n < 0 || o->k < 0)
    return cli_usage_error("gemm", "missing shape: -m, -n and -k are required");
  if ((unsigned long)o->m * (unsigned long)o->n > MAX_OUTPUTS)
    return cli_usage_error("gemm", "M x N = %ld x %ld outputs (expected at most %lu)", o->m, o->n, MAX_OUTPUTS);
  if (!o->bf)
    o->bf = o->af;
  bool ablk = fp8_block_is_block_spelling(o->af), bblk = fp8_block_is_block_spelling(o->bf);
  if (ablk != bblk)
    return cli_usage_error("gemm", "%s is a block format and %s is not (expected both or neither)",
                           ablk ? o->af : o->bf, ablk ? o->bf : o->af);
  if (!ablk && (o->as || o->bs))
    return cli_usage_error("gemm", "--%c-scales: %s is not a block format (expected e.g. mxfp8_e4m3 or nvfp4)",
                           o->as ? 'a' : 'b', o->af);
  o->blk = ablk;
  if (out_format(o->outs, fo))
    return EXIT_USAGE;
  if (!o->path && !o->tsv && isatty(STDOUT_FILENO))
    return cli_usage_error("gemm", "refusing to write binary output to a terminal (use -o FILE, a pipe, or --tsv)");
  return -1;
}

/* C to -o (committed whole, or removed on a write error) or to stdout. */
static int gemm_write(const gemm_opts *o, const fp8_format *fo, const void *C, fp8_outfile *out)
{
  if (!o->path) {
    write_out(stdout, fo, C, (size_t)o->m, (size_t)o->n, o->tsv);   /* main checks stdout */
    return EXIT_OK;
  }
  if (write_out(out->fp, fo, C, (size_t)o->m, (size_t)o->n, o->tsv)) {
    cli_error("gemm", "write error on '%s'", o->path);
    fp8_outfile_abort(out);
    return EXIT_FAIL;
  }
  return fp8_outfile_commit(out) ? EXIT_FAIL : EXIT_OK;
}

int cmd_gemm(int argc, char **argv)
{
  gemm_opts o;
  fp8_format fo;
  int rc = gemm_parse(argc, argv, &o);
  if (rc >= 0 || (rc = gemm_check(&o, &fo)) >= 0)
    return rc;
  /* -o opened before the work, as cast does: a path that cannot be written is
   * a usage error found at once, not after the product */
  fp8_outfile out;
  if (o.path && fp8_outfile_open(&out, o.path))
    return EXIT_USAGE;
  void *C = malloc((size_t)o.m * (size_t)o.n * (fo.bits <= 16 ? 2 : 4));
  if (!C) {
    cli_error("gemm", "out of memory for %ld x %ld outputs", o.m, o.n);
    if (o.path)
      fp8_outfile_abort(&out);
    return EXIT_FAIL;
  }
  rc = o.blk ? run_block(&o, &fo, C) : run_plain(&o, &fo, C);
  if (rc != EXIT_OK && o.path)
    fp8_outfile_abort(&out);
  else if (rc == EXIT_OK)
    rc = gemm_write(&o, &fo, C, &out);
  free(C);
  return rc;
}
