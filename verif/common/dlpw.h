/* SPDX-License-Identifier: Apache-2.0 */
// OpenDLP test benches: a reader of the binary .dlpw container (header only).
//
// .dlpw files hold named int8/int32/float32 arrays: the weight files, and in sw/nets the test
// sets (records `input`, `label`, ...) and the int8 model's expected outputs (`output`, `pred`,
// ...). The binary form (docs/netdesc.md, "Binary form (.dlpw)"), all integers little-endian,
// no padding:
//
//   offset 0  "DLPW"; offset 4 uint32 version = 1; offset 8 uint32 number of records R;
//   then R records: uint16 name length L (1..255), L bytes of name (ASCII, no NUL),
//   uint8 type (1 int8, 2 int32, 3 float32), uint8 number of dimensions D (1..4),
//   D x uint32 dimensions (each >= 1), product(dims) x (1, 4, 4) bytes of data, C order.
//   The file ends exactly after the last record.
//
// This reader is independent of the compiler's (sw/cc's cc_wfile_read) and of Python's
// (sw/nets/qsim.py's read_dlpw), so that a test comparing a network's output with an expected
// output does not share code with what produced either. It reads the binary form only (the
// text form is for hand-written weight files) and rejects anything the format does not allow:
// bad magic or version, a truncated record, trailing bytes, unknown types, zero dimensions,
// duplicate names.
//
//   dlpv::Dlpw w;
//   std::string err;
//   if (!dlpv::ReadDlpw("sw/nets/lenet5/expected.dlpw", &w, &err)) ...;
//   const dlpv::DlpwRecord *out = w.Find("output");   // out->dims = {1000, 10}, type kInt8
//   const int8_t *sample3 = out->I8() + 3 * out->Inner();
#ifndef DLP_VERIF_DLPW_H
#define DLP_VERIF_DLPW_H

#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace dlpv {

struct DlpwRecord {
  enum Type { kInt8 = 1, kInt32 = 2, kFloat32 = 3 };
  std::string name;
  int type = 0;
  std::vector<uint32_t> dims;
  std::vector<uint8_t> data;  // the little-endian bytes as stored

  uint64_t Elems() const {
    uint64_t n = 1;
    for (uint32_t d : dims) n *= d;
    return n;
  }
  // Elements per index of the first dimension (one sample of a test set).
  uint64_t Inner() const { return dims.empty() ? 0 : Elems() / dims[0]; }
  const int8_t *I8() const { return reinterpret_cast<const int8_t *>(data.data()); }
  int32_t I32(uint64_t i) const {
    const uint8_t *p = &data[4 * i];
    return (int32_t)((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
                     (uint32_t)p[3] << 24);
  }
  float F32(uint64_t i) const {
    uint32_t u = (uint32_t)I32(i);
    float f;
    std::memcpy(&f, &u, 4);
    return f;
  }
  std::string Shape() const {
    std::string s;
    for (size_t i = 0; i < dims.size(); i++) s += (i ? "x" : "") + std::to_string(dims[i]);
    return s;
  }
};

struct Dlpw {
  std::vector<DlpwRecord> records;
  const DlpwRecord *Find(const std::string &name) const {
    for (auto &r : records)
      if (r.name == name) return &r;
    return nullptr;
  }
};

// Parses a binary .dlpw image; false with a message naming the offset on any error.
inline bool ParseDlpw(const std::vector<uint8_t> &b, Dlpw *out, std::string *err) {
  size_t at = 0;
  auto need = [&](size_t n, const char *what) {
    if (b.size() - at >= n) return true;
    *err = "offset " + std::to_string(at) + ": file ends inside " + what;
    return false;
  };
  auto u32 = [&]() {
    uint32_t v = (uint32_t)b[at] | (uint32_t)b[at + 1] << 8 | (uint32_t)b[at + 2] << 16 |
                 (uint32_t)b[at + 3] << 24;
    at += 4;
    return v;
  };
  out->records.clear();
  if (b.size() < 12 || std::memcmp(b.data(), "DLPW", 4) != 0) {
    *err = "not a binary .dlpw file (no 'DLPW' magic; the text form is not read here)";
    return false;
  }
  at = 4;
  uint32_t version = u32(), n = u32();
  if (version != 1) {
    *err = "offset 4: version " + std::to_string(version) + ", this reader knows version 1";
    return false;
  }
  for (uint32_t r = 0; r < n; r++) {
    DlpwRecord rec;
    size_t start = at;
    if (!need(2, "a record's name length")) return false;
    unsigned len = (unsigned)b[at] | (unsigned)b[at + 1] << 8;
    at += 2;
    if (len < 1 || len > 255) {
      *err = "offset " + std::to_string(start) + ": record " + std::to_string(r) +
             " has a name of " + std::to_string(len) + " bytes (1..255)";
      return false;
    }
    if (!need(len + 2, "a record's name and type")) return false;
    rec.name.assign(reinterpret_cast<const char *>(&b[at]), len);
    at += len;
    rec.type = b[at++];
    unsigned nd = b[at++];
    if (rec.type < 1 || rec.type > 3 || nd < 1 || nd > 4) {
      *err = "record " + rec.name + ": type " + std::to_string(rec.type) + " with " +
             std::to_string(nd) + " dimensions (types 1..3, 1..4 dimensions)";
      return false;
    }
    if (!need(4 * nd, "a record's dimensions")) return false;
    uint64_t elems = 1;
    for (unsigned d = 0; d < nd; d++) {
      uint32_t v = u32();
      if (v == 0) {
        *err = "record " + rec.name + ": dimension " + std::to_string(d) + " is 0";
        return false;
      }
      rec.dims.push_back(v);
      elems *= v;
      if (elems > (1ull << 32)) {
        *err = "record " + rec.name + ": too many elements";
        return false;
      }
    }
    uint64_t bytes = elems * (rec.type == DlpwRecord::kInt8 ? 1 : 4);
    if (!need((size_t)bytes, ("the data of record " + rec.name).c_str())) return false;
    rec.data.assign(b.begin() + (std::ptrdiff_t)at, b.begin() + (std::ptrdiff_t)(at + bytes));
    at += (size_t)bytes;
    if (out->Find(rec.name)) {
      *err = "offset " + std::to_string(start) + ": a second record named " + rec.name;
      return false;
    }
    out->records.push_back(std::move(rec));
  }
  if (at != b.size()) {
    *err = std::to_string(b.size() - at) + " trailing bytes after the last of " +
           std::to_string(n) + " records";
    return false;
  }
  return true;
}

inline bool ReadDlpw(const std::string &path, Dlpw *out, std::string *err) {
  std::ifstream f(path, std::ios::binary);
  if (!f) {
    *err = path + ": cannot open";
    return false;
  }
  std::vector<uint8_t> b((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  if (!ParseDlpw(b, out, err)) {
    *err = path + ": " + *err;
    return false;
  }
  return true;
}

}  // namespace dlpv

#endif
