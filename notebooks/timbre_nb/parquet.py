"""A small, dependency-light Parquet reader for Timbre's tables, for machines without pyarrow.

Debian's Jupyter has no pyarrow or fastparquet, so the notebooks read Timbre's Parquet with this module when no
Spark session (EMR Studio) and no pyarrow is present. It reads what Spark 3.5 writes for Timbre's tables: data page
V1 and V2, PLAIN and (RLE_/PLAIN_)DICTIONARY encodings, RLE/bit-packed levels, UNCOMPRESSED / SNAPPY / GZIP / ZSTD pages,
INT32/INT64/FLOAT/DOUBLE/BOOLEAN/BYTE_ARRAY columns, and lists and maps (repetition levels) - one column at a time,
assembled into Python records. Hive-style partition folders (split=train) become columns, as in Spark.
Not a general Parquet library: no INT96, no decimals, no encryption, no page indexes.
"""
import gzip
import os
import struct
import zlib

try:
    import snappy  # python3-snappy
except ImportError:  # pragma: no cover
    snappy = None
try:
    import zstandard  # python3-zstandard (Timbre writes its tables with ZSTD)
except ImportError:  # pragma: no cover
    zstandard = None

# ---------------------------------------------------------------------------------------------------------------
# Thrift compact protocol: just enough to decode the footer and page headers into {field id: value} dicts.


class _Compact:
    def __init__(self, buf, pos=0):
        self.buf = buf
        self.pos = pos

    def byte(self):
        b = self.buf[self.pos]
        self.pos += 1
        return b

    def varint(self):
        shift = result = 0
        while True:
            b = self.byte()
            result |= (b & 0x7F) << shift
            if not b & 0x80:
                return result
            shift += 7

    def zigzag(self):
        n = self.varint()
        return (n >> 1) ^ -(n & 1)

    def binary(self):
        n = self.varint()
        v = self.buf[self.pos:self.pos + n]
        self.pos += n
        return bytes(v)

    def value(self, t):
        if t in (1, 2):  # booleans inside lists are a byte; as fields the type carries the value
            return t == 1
        if t == 3:
            return self.byte()
        if t in (4, 5, 6):
            return self.zigzag()
        if t == 7:
            v = struct.unpack_from("<d", self.buf, self.pos)[0]
            self.pos += 8
            return v
        if t == 8:
            return self.binary()
        if t in (9, 10):
            head = self.byte()
            size, et = head >> 4, head & 0x0F
            if size == 15:
                size = self.varint()
            if et in (1, 2):
                return [self.byte() == 1 for _ in range(size)]
            return [self.value(et) for _ in range(size)]
        if t == 11:
            size = self.varint()
            kv = self.byte() if size else 0
            return {self.value(kv >> 4): self.value(kv & 0x0F) for _ in range(size)}
        if t == 12:
            return self.struct()
        raise ValueError("unsupported thrift compact type %d" % t)

    def struct(self):
        out = {}
        last = 0
        while True:
            head = self.byte()
            if head == 0:
                return out
            delta, t = head >> 4, head & 0x0F
            fid = last + delta if delta else self.zigzag()
            out[fid] = self.value(t)
            last = fid


# ---------------------------------------------------------------------------------------------------------------
# Levels and values.


def _bit_width(n):
    return n.bit_length()


def _rle_hybrid(buf, pos, end, width, count):
    """RLE / bit-packed hybrid decoding of `count` values of `width` bits from buf[pos:end]."""
    out = []
    nbytes = (width + 7) // 8
    while len(out) < count and pos < end:
        c = _Compact(buf, pos)
        header = c.varint()
        pos = c.pos
        if header & 1:  # bit-packed groups of 8
            groups = header >> 1
            n = groups * 8
            total = groups * width
            chunk = int.from_bytes(buf[pos:pos + total], "little")
            mask = (1 << width) - 1
            out.extend((chunk >> (i * width)) & mask for i in range(n))
            pos += total
        else:
            run = header >> 1
            v = int.from_bytes(buf[pos:pos + nbytes], "little") if nbytes else 0
            pos += nbytes
            out.extend([v] * run)
    return out[:count]


def _plain(buf, ptype, count, type_length=None):
    if ptype == 0:  # BOOLEAN, bit-packed LSB first
        bits = int.from_bytes(buf[:(count + 7) // 8], "little")
        return [bool((bits >> i) & 1) for i in range(count)], (count + 7) // 8
    fmt = {1: "<i", 2: "<q", 4: "<f", 5: "<d"}.get(ptype)
    if fmt:
        size = struct.calcsize(fmt)
        return list(struct.unpack_from("<%d%s" % (count, fmt[1]), buf, 0)), count * size
    if ptype == 6:  # BYTE_ARRAY
        out, pos = [], 0
        for _ in range(count):
            n = struct.unpack_from("<i", buf, pos)[0]
            out.append(bytes(buf[pos + 4:pos + 4 + n]))
            pos += 4 + n
        return out, pos
    if ptype == 7:
        return [bytes(buf[i * type_length:(i + 1) * type_length]) for i in range(count)], count * type_length
    raise ValueError("unsupported Parquet physical type %d" % ptype)


def _decompress(codec, data, size):
    if codec == 0:
        return data
    if codec == 1:
        if snappy is None:
            raise RuntimeError("SNAPPY pages need python3-snappy")
        return snappy.uncompress(data)
    if codec == 2:
        return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else zlib.decompress(data)
    if codec == 6:
        if zstandard is None:
            raise RuntimeError("ZSTD pages need python3-zstandard")
        return zstandard.ZstdDecompressor().decompress(data, max_output_size=size)
    raise ValueError("unsupported Parquet codec %d" % codec)


# ---------------------------------------------------------------------------------------------------------------
# Schema.


class _Leaf:
    def __init__(self, path, ptype, type_length, converted, max_def, max_rep, logical):
        self.path = path
        self.ptype = ptype
        self.type_length = type_length
        self.converted = converted
        self.logical = logical
        self.max_def = max_def
        self.max_rep = max_rep


def _schema_tree(elements):
    """[(name, repetition, children | leaf fields)] from the flat schema list."""
    pos = [1]

    def node():
        e = elements[pos[0]]
        pos[0] += 1
        kids = [node() for _ in range(e.get(5, 0))]
        return {"name": e[4].decode(), "rep": e.get(3, 0), "type": e.get(1), "len": e.get(2),
                "conv": e.get(6), "logical": e.get(10), "children": kids}

    return [node() for _ in range(elements[0].get(5, 0))]


def _leaves(nodes, path=(), d=0, r=0, out=None):
    out = [] if out is None else out
    for n in nodes:
        nd = d + (1 if n["rep"] in (1, 2) else 0)
        nr = r + (1 if n["rep"] == 2 else 0)
        p = path + (n["name"],)
        if n["children"]:
            _leaves(n["children"], p, nd, nr, out)
        else:
            out.append(_Leaf(p, n["type"], n["len"], n["conv"], nd, nr, n["logical"]))
    return out


def _convert(leaf, v):
    if leaf.ptype == 6 and (leaf.converted in (0, 15, 16) or (leaf.logical and 1 in leaf.logical)):
        return v.decode("utf-8")
    return v


# ---------------------------------------------------------------------------------------------------------------
# Reading one file.


def _read_column(buf, chunk, leaf):
    md = chunk[3]
    codec = md.get(4, 0)
    start = md.get(11) if md.get(11) else md[9]
    end = start + md[7]
    pos = start
    dictionary = None
    values, defs, reps = [], [], []
    remaining = md[5]
    while pos < end and remaining > 0:
        c = _Compact(buf, pos)
        header = c.struct()
        pos = c.pos
        ptype, usize, csize = header[1], header[2], header[3]
        raw = buf[pos:pos + csize]
        pos += csize
        if ptype == 2:  # dictionary page
            data = _decompress(codec, raw, usize)
            dictionary, _ = _plain(data, leaf.ptype, header[7][1], leaf.type_length)
            dictionary = [_convert(leaf, v) for v in dictionary]
            continue
        if ptype == 0:  # data page v1: levels then values, all compressed
            h = header[5]
            n, encoding = h[1], h[2]
            data = _decompress(codec, raw, usize)
            p = 0
            if leaf.max_rep:
                ln = struct.unpack_from("<i", data, p)[0]
                r = _rle_hybrid(data, p + 4, p + 4 + ln, _bit_width(leaf.max_rep), n)
                p += 4 + ln
            else:
                r = [0] * n
            if leaf.max_def:
                ln = struct.unpack_from("<i", data, p)[0]
                d = _rle_hybrid(data, p + 4, p + 4 + ln, _bit_width(leaf.max_def), n)
                p += 4 + ln
            else:
                d = [0] * n
            body = data[p:]
        elif ptype == 3:  # data page v2: levels uncompressed, then (maybe compressed) values
            h = header[8]
            n, nnull, encoding = h[1], h[2], h[4]
            dl, rl = h[5], h[6]
            compressed = h.get(7, True)
            r = _rle_hybrid(raw, 0, rl, _bit_width(leaf.max_rep), n) if leaf.max_rep else [0] * n
            d = _rle_hybrid(raw, rl, rl + dl, _bit_width(leaf.max_def), n) if leaf.max_def else [0] * n
            body = raw[rl + dl:]
            if compressed:
                body = _decompress(codec, body, usize - rl - dl)
        else:
            continue
        present = sum(1 for x in d if x == leaf.max_def)
        if encoding in (2, 8):  # PLAIN_DICTIONARY, RLE_DICTIONARY
            width = body[0]
            idx = _rle_hybrid(body, 1, len(body), width, present)
            vals = [dictionary[i] for i in idx]
        elif encoding == 0:
            vals, _ = _plain(body, leaf.ptype, present, leaf.type_length)
            vals = [_convert(leaf, v) for v in vals]
        else:
            raise ValueError("unsupported encoding %d in %s" % (encoding, ".".join(leaf.path)))
        values.extend(vals)
        defs.extend(d)
        reps.extend(r)
        remaining -= n
    return values, defs, reps


def _assemble(leaf, values, defs, reps, nodes):
    """Records of one top-level column from its leaf's levels (lists as Python lists, maps as dicts)."""
    top = [n for n in nodes if n["name"] == leaf.path[0]][0]
    if not top["children"]:
        it = iter(values)
        return [next(it) if dl == leaf.max_def else None for dl in defs]
    # LIST: group (LIST) { repeated group list { element } }; MAP: group (MAP) { repeated group key_value {k, v} }.
    # Definition level of "the list exists but is empty" is the level of the top group.
    list_def = 1 if top["rep"] == 1 else 0
    rows, it = [], iter(values)
    for dl, rl in zip(defs, reps):
        if rl == 0:
            rows.append(None if dl < list_def else [])
        if dl > list_def:
            rows[-1].append(next(it) if dl == leaf.max_def else None)
    return rows


def read_file(path):
    with open(path, "rb") as f:
        buf = f.read()
    if buf[:4] != b"PAR1" or buf[-4:] != b"PAR1":
        raise ValueError("%s is not a Parquet file" % path)
    n = struct.unpack_from("<i", buf, len(buf) - 8)[0]
    meta = _Compact(buf, len(buf) - 8 - n).struct()
    nodes = _schema_tree(meta[2])
    leaves = _leaves(nodes)
    columns = {}
    for rg in meta.get(4, []):
        per_leaf = {}
        for chunk, leaf in zip(rg[1], leaves):
            v, d, r = _read_column(buf, chunk, leaf)
            per_leaf.setdefault(leaf.path[0], []).append(_assemble(leaf, v, d, r, nodes))
        for name, parts in per_leaf.items():
            if len(parts) == 1:
                rows = parts[0]
            elif len(parts) == 2:  # a map: keys and values
                rows = [None if k is None else dict(zip(k, vv)) for k, vv in zip(parts[0], parts[1])]
            else:
                raise ValueError("column %s: structs are not supported" % name)
            columns.setdefault(name, []).extend(rows)
    names = [n["name"] for n in nodes]
    count = meta[3]
    return [{k: columns[k][i] for k in names if k in columns} for i in range(count)]


def read_table(path, columns=None, where=None):
    """Every record of a Parquet file or folder (Spark's part files, Hive partition folders as columns)."""
    records = []
    if os.path.isfile(path):
        files = [(path, {})]
    else:
        files = []
        for root, dirs, names in os.walk(path):
            dirs[:] = sorted(d for d in dirs if not d.startswith((".", "_")))
            rel = os.path.relpath(root, path)
            parts = {} if rel == "." else dict(p.split("=", 1) for p in rel.split(os.sep) if "=" in p)
            files.extend((os.path.join(root, n), parts) for n in sorted(names)
                         if n.endswith(".parquet") and not n.startswith((".", "_")))
    for f, parts in files:
        if where and any(parts.get(k) not in (None, v) for k, v in where.items()):
            continue
        for rec in read_file(f):
            rec.update(parts)
            if columns:
                rec = {k: rec.get(k) for k in columns}
            records.append(rec)
    return records
