"""plot_keys.py - check a plot's key against the series gnuplot drew, from
gnuplot's own SVG output (fp8lab writes NAME.svg beside every NAME.png).

Usage: python3 plot_keys.py FILE.svg...   (exit 1 and a line per problem)

gnuplot's SVG terminal puts each plot element (one clause of a 'plot'
command) in <g id="gnuplot_plot_N"><title>TITLE</title>...</g>, a new run of
N = 1, 2, ... per multiplot panel.  Inside it: the key text (when the element
has a title), the key sample and the data, all drawn in the element's style.
A mark is a point symbol (<use href=#gpPtK>), a subpath of a stroked <path>,
or a filled <polygon> (bars); its style is what a reader tells series apart
by: symbol and colour, stroke colour, width and dash, fill colour.

Per panel, it is a problem when:
  1. a key entry has no series: a titled element draws nothing but its sample;
  2. a series has no key entry: an untitled element draws marks in a style no
     key entry shows (text-only elements, e.g. point labels, are exempt);
  3. two key entries have the same title, or show the same style;
  4. two keyed series coincide (every mark within 1 pixel, point symbols of
     the same size), so one hides the other, and neither key entry says so
     ('=' in its title);
  5. a mark of any series lies inside a key entry (its sample and text), so
     the key hides data or data hide the key.
"""
import re
import sys
import xml.etree.ElementTree as ET

SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}"
NUM = r"-?\d+(?:\.\d+)?"


def norm_color(c):
    return re.sub(r"\s+", "", c or "")


def translate(t):
    m = re.search(r"translate\((%s),(%s)\)" % (NUM, NUM), t or "")
    return (float(m.group(1)), float(m.group(2))) if m else None


def subpaths(d):
    """Vertex lists of the subpaths of an SVG path (gnuplot uses M, L, Z)."""
    out, cur = [], []
    for cmd, x, y in re.findall(r"([MLZ])\s*(?:(%s),(%s))?" % (NUM, NUM), d):
        if cmd == "M":
            if len(cur) > 1:
                out.append(cur)
            cur = [(float(x), float(y))]
        elif cmd == "L":
            cur.append((float(x), float(y)))
    if len(cur) > 1:
        out.append(cur)
    return out


class Element:
    def __init__(self, ident, title):
        self.ident, self.title = ident, title
        self.keytext = None          # (x, y, anchor, size, text)
        self.marks = []              # (style, vertices)
        self.texts = 0

    @property
    def keyed(self):
        return self.keytext is not None


def walk(node, inherited, elem, elems):
    """Document-order walk; inherited = (stroke, width, dash) of enclosing <g>s."""
    tag = node.tag.replace(SVG, "")
    stroke, width, dash = inherited
    stroke = node.get("stroke", stroke)
    width = node.get("stroke-width", width)
    dash = node.get("stroke-dasharray", dash)
    if tag == "g" and (node.get("id") or "").startswith("gnuplot_plot_"):
        t = node.find(SVG + "title")
        elem = Element(node.get("id"), t.text if t is not None else "")
        elems.append(elem)
    elif elem is not None and tag == "text":
        g = node_parent_transform.get(node)
        text = "".join(node.itertext()).strip()
        if g is not None and not elem.keyed and not elem.marks and text == elem.title.strip():
            elem.keytext = g + (len(text),)
        else:
            elem.texts += 1
    elif elem is not None and tag == "use":
        p = translate(node.get("transform"))
        m = re.search(r"scale\((%s)\)" % NUM, node.get("transform") or "")
        if p:
            style = ("point", node.get(XLINK + "href"), norm_color(node.get("color")))
            # the symbols span -1..1 before scaling: the radius is the scale
            elem.marks.append((style, [p + (float(m.group(1)) if m else 0.0,)]))
    elif elem is not None and tag == "path":
        style = ("line", norm_color(node.get("stroke", stroke)), width, dash)
        for sp in subpaths(node.get("d", "")):
            elem.marks.append((style, sp))
    elif elem is not None and tag == "polygon":
        pts = [tuple(map(float, p.split(","))) for p in (node.get("points") or "").split()]
        style = ("fill", norm_color(node.get("fill")), node.get("fill-opacity"))
        if pts:
            elem.marks.append((style, pts))
    for child in node:
        walk(child, (stroke, width, dash), elem, elems)


node_parent_transform = {}


def index_text_groups(root):
    """Each <text>'s position, anchor and font size from its enclosing <g>."""
    for g in root.iter(SVG + "g"):
        p = translate(g.get("transform"))
        if not p:
            continue
        for t in g.findall(SVG + "text"):
            node_parent_transform[t] = (p[0], p[1], g.get("text-anchor", "start"),
                                        float(g.get("font-size", "10")))


def key_box(e, margin=0.0):
    """The key entry's text box (0.6 em a character), margin em wider on each
    side: the SVG terminal lays text out with its own estimate of the font,
    the PNG's cairo with the real one."""
    x, y, anchor, size, n = e.keytext
    w = 0.6 * size * n
    x0, x1 = (x - w, x) if anchor == "end" else ((x - w / 2, x + w / 2) if anchor == "middle" else (x, x + w))
    return [x0 - margin * size, y - size, x1 + margin * size, y + 0.3 * size]


def split_key_sample(e):
    """Take the key sample (the mark nearest the key text, on its line) out of
    e.marks; returns the sample's marks (a point and/or a line, or a box)."""
    if not e.keyed:
        return []
    x, y, anchor, size, n = e.keytext
    box = key_box(e)
    cy = y - 0.35 * size
    found = {}
    for i, (style, vs) in enumerate(e.marks):
        ys = [v[1] for v in vs]
        xs = [v[0] for v in vs]
        if max(ys) - min(ys) > 1.5 * size or abs((max(ys) + min(ys)) / 2 - cy) > 0.6 * size:
            continue
        # the sample is beside the text: right of right-justified text
        # (gnuplot's default), left of left-justified text ('reverse')
        if anchor == "end":
            gap = min(xs) - x
        elif anchor == "start":
            gap = x - max(xs)
        else:
            gap = max(box[0] - max(xs), min(xs) - box[2], 0)
        if gap < -2 or gap > 6 * size:
            continue
        kind = style[0]
        if kind not in found or gap < found[kind][0]:
            found[kind] = (gap, i)
    idx = sorted(i for _, i in found.values())
    sample = [e.marks[i] for i in idx]
    for i in reversed(idx):
        del e.marks[i]
    return sample


def seg_hits_box(a, b, box, pad=0.5):
    x0, y0, x1, y1 = box[0] - pad, box[1] - pad, box[2] + pad, box[3] + pad
    for k in range(21):
        t = k / 20
        x, y = a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])
        if x0 <= x <= x1 and y0 <= y <= y1:
            return True
    return False


def mark_hits_box(vs, box):
    if len(vs) == 1:   # a point symbol: its centre and radius
        return seg_hits_box(vs[0], vs[0], box, pad=0.5 + vs[0][2])
    return any(seg_hits_box(vs[i], vs[i + 1], box) for i in range(len(vs) - 1))


def coincide(a, b):
    """Every mark of a within a pixel of one of b's, and the other way round
    (point symbols of one size: a larger one drawn around a smaller one is
    seen, as the tensors plots do for INT8 around FP8-E1)."""
    va = sorted(v if len(v) == 2 else v[:2] + (round(v[2], 1),) for _, vs in a.marks for v in vs)
    vb = sorted(v if len(v) == 2 else v[:2] + (round(v[2], 1),) for _, vs in b.marks for v in vs)
    return len(va) == len(vb) > 0 and all(
        len(p) == len(q) and abs(p[0] - q[0]) <= 1 and abs(p[1] - q[1]) <= 1 and p[2:] == q[2:]
        for p, q in zip(va, vb))


def check_panel(name, panel, problems):
    samples = {id(e): split_key_sample(e) for e in panel}
    keyed = [e for e in panel if e.keyed]
    sig = {id(e): frozenset(s for s, _ in samples[id(e)]) for e in keyed}
    for e in keyed:
        if not e.marks:
            problems.append("%s: key entry '%s' has no series drawn" % (name, e.title))
        elif not samples[id(e)]:
            problems.append("%s: key entry '%s' shows no sample" % (name, e.title))
        elif {s for s, _ in e.marks} - sig[id(e)]:
            problems.append("%s: key entry '%s' shows %s, its series is drawn as %s" % (
                name, e.title, sorted(sig[id(e)]), sorted({s for s, _ in e.marks})))
    shown = set().union(*sig.values()) if sig else set()
    for e in panel:
        if not e.keyed and e.marks and not {s for s, _ in e.marks} <= shown:
            problems.append("%s: series %s (%s) is drawn with no key entry in its style" % (
                name, e.ident, sorted({s for s, _ in e.marks})))
    for i, a in enumerate(keyed):
        for b in keyed[i + 1:]:
            if a.title.strip() == b.title.strip():
                problems.append("%s: two key entries titled '%s'" % (name, a.title))
            if sig[id(a)] and sig[id(a)] == sig[id(b)]:
                problems.append("%s: key entries '%s' and '%s' look the same" % (name, a.title, b.title))
            if coincide(a, b) and "=" not in a.title and "=" not in b.title:
                problems.append("%s: '%s' and '%s' coincide (one hides the other) and the key does "
                                "not say so" % (name, a.title, b.title))
    for e in keyed:
        box = key_box(e, margin=0.5)
        for s, vs in samples[id(e)]:
            xs, ys = [v[0] for v in vs], [v[1] for v in vs]
            box = [min(box[0], min(xs) - 2), min(box[1], min(ys) - 2), max(box[2], max(xs) + 2),
                   max(box[3], max(ys) + 2)]
        for o in panel:
            hit = next((vs for _, vs in o.marks if mark_hits_box(vs, box)), None)
            if hit:
                problems.append("%s: key entry '%s' and series '%s' overlap near (%.0f, %.0f)" % (
                    name, e.title, o.title, hit[0][0], hit[0][1]))


def check(path):
    root = ET.parse(path).getroot()
    node_parent_transform.clear()
    index_text_groups(root)
    elems = []
    walk(root, ("", "1.00", None), None, elems)
    # ids are gnuplot_plot_N, with a letter per multiplot panel (N a, N b, ...);
    # an opaque key is drawn after the data, as a second group of the same id
    panels, by_id = {}, {}
    for e in elems:
        m = re.match(r"gnuplot_plot_(\d+)([a-z]*)$", e.ident)
        if e.ident in by_id:
            first = by_id[e.ident]
            first.keytext = first.keytext or e.keytext
            first.marks += e.marks
            first.texts += e.texts
            continue
        by_id[e.ident] = e
        panels.setdefault(m.group(2), []).append(e)
    panels = list(panels.values())
    problems = []
    for k, panel in enumerate(panels):
        check_panel("%s panel %d" % (path, k + 1) if len(panels) > 1 else path, panel, problems)
    nkeys = sum(e.keyed for panel in panels for e in panel)
    return problems, len(panels), nkeys


def main(paths):
    bad = 0
    for p in paths:
        problems, npanels, nkeys = check(p)
        for line in problems:
            print(line)
        bad += len(problems)
        print("%s: %d panel(s), %d key entries, %d problem(s)" % (p, npanels, nkeys, len(problems)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
