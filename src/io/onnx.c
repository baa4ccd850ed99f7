/* onnx.c - floating-point tensors of an ONNX model, decoded by the protobuf-c
 * code generated at build time from Debian's onnx.proto (no hand-written
 * protobuf decoding).
 *
 * Collected: every graph's initializers and the 'value' tensor of every
 * Constant node, in subgraphs (If/Loop/Scan bodies: graph-valued attributes)
 * too; float32, float16, bfloat16 and float64, from raw_data or the typed
 * fields (float_data; int32_data holding float16/bfloat16 bits; double_data).
 * Other element types (shapes, indices) are counted as skipped.
 *
 * Bounded memory: protobuf-c allocates through a counting allocator charged
 * against the same budget as everything else, and subgraph nesting is capped.
 *
 * Bounded stack: protobuf-c unpacks a sub-message by recursion without a
 * depth limit (3,000 nested subgraphs in 54 kB overflowed the stack), so
 * before it sees the bytes, a wire-format scan guided by protobuf-c's own
 * descriptors of onnx.proto follows every message-typed field (graphs in
 * attributes, nodes, TypeProto in TypeProto, ...) and refuses nesting deeper
 * than MAX_MESSAGE_DEPTH.  The scan is at least as strict as protobuf-c about
 * the wire format (an error there is an error here), so nothing it stops at
 * can be unpacked deeper behind its back.
 */
#include "io_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "onnx.pb-c.h"

#define MAX_GRAPH_DEPTH 64
/* A subgraph is three messages below its parent graph (node, attribute,
 * graph); room for MAX_GRAPH_DEPTH of them and the tensors and types below. */
#define MAX_MESSAGE_DEPTH (3 * MAX_GRAPH_DEPTH + 32)

/* ---- nesting scan of the wire format, before protobuf-c ---------------------- */

enum { SCAN_OK = 0, SCAN_BAD = -1, SCAN_DEEP = -2 };

static int scan_varint(const uint8_t **p, const uint8_t *end, uint64_t *v)
{
  uint64_t x = 0;
  for (int shift = 0; shift < 70; shift += 7) {
    if (*p == end)
      return SCAN_BAD;
    uint8_t b = *(*p)++;
    x |= (uint64_t)(b & 0x7f) << shift;
    if (!(b & 0x80)) {
      *v = x;
      return SCAN_OK;
    }
  }
  return SCAN_BAD;
}

/* The message of type d in [p, end): SCAN_OK, SCAN_BAD (not the wire format)
 * or SCAN_DEEP (a message field nested beyond MAX_MESSAGE_DEPTH). */
static int scan_message(const ProtobufCMessageDescriptor *d, const uint8_t *p, const uint8_t *end, int depth)
{
  if (depth > MAX_MESSAGE_DEPTH)
    return SCAN_DEEP;
  while (p < end) {
    uint64_t key, len;
    if (scan_varint(&p, end, &key) || (key >> 3) == 0 || (key >> 3) > 0x1fffffff)
      return SCAN_BAD;
    switch (key & 7) {
    case 0:
      if (scan_varint(&p, end, &len))
        return SCAN_BAD;
      break;
    case 1:
      if (end - p < 8)
        return SCAN_BAD;
      p += 8;
      break;
    case 5:
      if (end - p < 4)
        return SCAN_BAD;
      p += 4;
      break;
    case 2: {
      if (scan_varint(&p, end, &len) || len > (uint64_t)(end - p))
        return SCAN_BAD;
      const ProtobufCFieldDescriptor *f = protobuf_c_message_descriptor_get_field(d, (unsigned)(key >> 3));
      if (f && f->type == PROTOBUF_C_TYPE_MESSAGE) {
        int st = scan_message(f->descriptor, p, p + len, depth + 1);
        if (st)
          return st;
      }
      p += len;
      break;
    }
    default:   /* groups (3, 4) and 6, 7: not in onnx.proto */
      return SCAN_BAD;
    }
  }
  return SCAN_OK;
}

/* ---- a counting allocator for protobuf-c ------------------------------------ */

typedef struct budget_alloc {
  size_t used, limit;
  int exceeded;
} budget_alloc;

typedef union hdr { size_t size; max_align_t align; } hdr;

static void *ba_alloc(void *data, size_t size)
{
  budget_alloc *b = data;
  if (size > b->limit - b->used) {
    b->exceeded = 1;
    return NULL;
  }
  hdr *h = malloc(sizeof(hdr) + size);
  if (!h)
    return NULL;
  h->size = size;
  b->used += size;
  return h + 1;
}

static void ba_free(void *data, void *p)
{
  if (!p)
    return;
  budget_alloc *b = data;
  hdr *h = (hdr *)p - 1;
  b->used -= h->size;
  free(h);
}

/* ---- tensors ------------------------------------------------------------------ */

enum { ONNX_FLOAT = 1, ONNX_FLOAT16 = 10, ONNX_DOUBLE = 11, ONNX_BFLOAT16 = 16 };

static double get_f32(const void *p, size_t i) { return ((const float *)p)[i]; }
static double get_f64(const void *p, size_t i) { return ((const double *)p)[i]; }
static double get_f16(const void *p, size_t i)
{ return io_half_to_double(FP8_IO_F16, (uint32_t)((const int32_t *)p)[i]); }
static double get_bf16(const void *p, size_t i)
{ return io_half_to_double(FP8_IO_BF16, (uint32_t)((const int32_t *)p)[i]); }

static int add_tensor(io_ctx *c, const Onnx__TensorProto *tp, const char *name)
{
  fp8_io_dtype dt;
  switch (tp->has_data_type ? tp->data_type : 0) {
  case ONNX_FLOAT: dt = FP8_IO_F32; break;
  case ONNX_FLOAT16: dt = FP8_IO_F16; break;
  case ONNX_BFLOAT16: dt = FP8_IO_BF16; break;
  case ONNX_DOUBLE: dt = FP8_IO_F64; break;
  default:
    c->m->skipped++;
    return 0;
  }
  if (!name || !*name)
    name = "(unnamed)";
  if (tp->has_data_location && tp->data_location == ONNX__TENSOR_PROTO__DATA_LOCATION__EXTERNAL)
    return io_fail(c, "tensor '%s' keeps its values in an external file (data_location "
                   "EXTERNAL); expected them inside the model", name);
  if (tp->segment)
    return io_fail(c, "tensor '%s' is a segment of a split tensor; not supported", name);
  if (tp->n_dims > FP8_IO_MAX_DIMS)
    return io_fail(c, "tensor '%s' has %zu dimensions; at most %d are supported", name,
                   tp->n_dims, FP8_IO_MAX_DIMS);
  fp8_io_tensor *t = io_tensor_new(c, name, (int)tp->n_dims, tp->dims, dt);
  if (!t)
    return -1;
  int st;
  if (tp->has_raw_data)
    st = io_tensor_decode(c, t, tp->raw_data.data, tp->raw_data.len);
  else if (dt == FP8_IO_F32)
    st = io_tensor_fill(c, t, tp->n_float_data, get_f32, tp->float_data);
  else if (dt == FP8_IO_F64)
    st = io_tensor_fill(c, t, tp->n_double_data, get_f64, tp->double_data);
  else
    st = io_tensor_fill(c, t, tp->n_int32_data, dt == FP8_IO_F16 ? get_f16 : get_bf16,
                        tp->int32_data);
  if (st)
    io_tensor_drop_last(c);
  return st;
}

static const Onnx__TensorProto *constant_value(const Onnx__NodeProto *nd)
{
  if (!nd->op_type || strcmp(nd->op_type, "Constant") || nd->n_output < 1)
    return NULL;
  for (size_t a = 0; a < nd->n_attribute; a++)
    if (nd->attribute[a]->name && !strcmp(nd->attribute[a]->name, "value"))
      return nd->attribute[a]->t;
  return NULL;
}

/* Pass 1: tensors of g and of its subgraphs. */
static int collect(io_ctx *c, const Onnx__GraphProto *g, int depth)
{
  if (depth > MAX_GRAPH_DEPTH)
    return io_fail(c, "subgraphs nested deeper than %d levels", MAX_GRAPH_DEPTH);
  for (size_t i = 0; i < g->n_initializer; i++)
    if (add_tensor(c, g->initializer[i], g->initializer[i]->name))
      return -1;
  for (size_t i = 0; i < g->n_node; i++) {
    const Onnx__NodeProto *nd = g->node[i];
    const Onnx__TensorProto *v = constant_value(nd);
    if (v && add_tensor(c, v, nd->output[0]))
      return -1;
    for (size_t a = 0; a < nd->n_attribute; a++) {
      const Onnx__AttributeProto *at = nd->attribute[a];
      if (at->g && collect(c, at->g, depth + 1))
        return -1;
      for (size_t k = 0; k < at->n_graphs; k++)
        if (collect(c, at->graphs[k], depth + 1))
          return -1;
    }
  }
  return 0;
}

/* ---- pass 2: the first consumer of each tensor ---------------------------- */

typedef struct name_ix { const char *name; size_t ix; } name_ix;

static int cmp_name(const void *a, const void *b)
{
  const name_ix *x = a, *y = b;
  int r = strcmp(x->name, y->name);
  return r ? r : (x->ix > y->ix) - (x->ix < y->ix);
}

static int cmp_key(const void *k, const void *e)
{
  return strcmp(k, ((const name_ix *)e)->name);
}

static void consumers(fp8_io_model *m, const name_ix *idx, const Onnx__GraphProto *g, int depth)
{
  if (depth > MAX_GRAPH_DEPTH)
    return;
  for (size_t i = 0; i < g->n_node; i++) {
    const Onnx__NodeProto *nd = g->node[i];
    int trans_b = 0;
    for (size_t a = 0; a < nd->n_attribute; a++) {
      const Onnx__AttributeProto *at = nd->attribute[a];
      if (at->name && !strcmp(at->name, "transB") && at->has_i)
        trans_b = at->i != 0;
      if (at->g)
        consumers(m, idx, at->g, depth + 1);
      for (size_t k = 0; k < at->n_graphs; k++)
        consumers(m, idx, at->graphs[k], depth + 1);
    }
    for (size_t k = 0; k < nd->n_input; k++) {
      const name_ix *e = nd->input[k] ? bsearch(nd->input[k], idx, m->n, sizeof *idx, cmp_key) : NULL;
      while (e && e > idx && !strcmp(e[-1].name, nd->input[k]))
        e--;   /* every tensor of that name */
      for (; e && e < idx + m->n && !strcmp(e->name, nd->input[k]); e++) {
        fp8_io_tensor *t = &m->t[e->ix];
        if (t->op[0])
          continue;
        snprintf(t->op, sizeof t->op, "%s", nd->op_type ? nd->op_type : "");
        t->input = (int)k;
        t->trans_b = trans_b;
      }
    }
  }
}

int io_onnx_read(io_ctx *c, const uint8_t *buf, size_t len)
{
  int scan = scan_message(&onnx__model_proto__descriptor, buf, buf + len, 0);
  if (scan == SCAN_DEEP)
    return io_fail(c, "messages nested deeper than %d levels (subgraphs deeper than about %d); "
                   "refused before decoding", MAX_MESSAGE_DEPTH, MAX_GRAPH_DEPTH);
  if (scan == SCAN_BAD)
    return io_fail(c, "not a valid ONNX model (protobuf wire format broken: truncated, corrupt or "
                   "not a ModelProto)");
  budget_alloc b = {0, c->budget, 0};
  ProtobufCAllocator al = {ba_alloc, ba_free, &b};
  Onnx__ModelProto *mp = onnx__model_proto__unpack(&al, len, buf);
  if (!mp) {
    if (b.exceeded)
      return io_fail(c, "decoding the model needs more than the %zu MiB read limit "
                     "(raise --max-mib if the model is really that large)", c->max_bytes >> 20);
    return io_fail(c, "not a valid ONNX model (protobuf decoding failed: truncated, corrupt or "
                   "not a ModelProto)");
  }
  int st = 0;
  if (!mp->graph) {
    st = io_fail(c, "the ONNX model has no graph");
  } else {
    c->budget -= b.used;        /* the decoded message is held while tensors are made */
    st = collect(c, mp->graph, 0);
    c->budget += b.used;
  }
  if (!st && c->m->n) {
    name_ix *idx = malloc(c->m->n * sizeof *idx);
    if (!idx) {
      st = io_fail(c, "out of memory");
    } else {
      for (size_t i = 0; i < c->m->n; i++)
        idx[i] = (name_ix){c->m->t[i].name, i};
      qsort(idx, c->m->n, sizeof *idx, cmp_name);
      consumers(c->m, idx, mp->graph, 0);
      free(idx);
    }
  }
  onnx__model_proto__free_unpacked(mp, &al);
  return st;
}
