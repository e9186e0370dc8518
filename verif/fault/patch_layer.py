#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Test fixture: a network package (.dlpn) whose layer L runs another program.

    patch_layer.py IN.dlpn LAYER PROG.dlpb OUT.dlpn

The program's instructions replace the first ones of layer LAYER's program in the package's
image (the rest are left as they are; the program must not be longer than the layer's), and
the package's CRCs are recomputed, so that the result is a valid package with a hostile layer
(for example one that loops without end). The layout is sw/include/dlp_net.h's.
"""
import struct
import sys
import zlib


def main():
    src, layer, prog, out = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    b = bytearray(open(src, "rb").read())
    p = open(prog, "rb").read()
    words = p[32:]  # .dlpb: 32-byte header, then the 16-byte instructions
    n_tensors, n_layers, strings_bytes, image_bytes, image_addr = struct.unpack_from("<5I", b, 8)
    if layer >= n_layers:
        sys.exit(f"patch_layer: the package has {n_layers} layers")
    lay = 48 + 64 + 64 * n_tensors + 96 * layer
    prog_addr, prog_insns = struct.unpack_from("<2I", b, lay + 8)
    if len(words) > 16 * prog_insns:
        sys.exit(f"patch_layer: {len(words) // 16} instructions do not fit layer {layer}'s "
                 f"{prog_insns}")
    at = len(b) - image_bytes + (prog_addr - image_addr)
    b[at:at + len(words)] = words
    struct.pack_into("<I", b, 40, zlib.crc32(bytes(b[48:])))
    struct.pack_into("<I", b, 44, zlib.crc32(bytes(b[:44])))
    open(out, "wb").write(b)


if __name__ == "__main__":
    main()
