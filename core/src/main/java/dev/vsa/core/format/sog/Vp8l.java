package dev.vsa.core.format.sog;

import java.util.ArrayList;
import java.util.List;

/**
 * A decoder of lossless WebP (the VP8L bitstream), written from its specification (RFC 9649): SOG's images are
 * all lossless, and decoding them here needs no native code (loading libwebp through webp-imageio took longer
 * than decoding a SOG's seven images). Gives ARGB ints, row-major, as libwebp does (alpha 255 where the header
 * says the image has none).
 *
 * <p>Bounded on hostile data: every count comes from the header's size or a few bits, every table is built from
 * checked code lengths, a back reference is checked against the pixels decoded so far, and reading past the end
 * of the data is an error (found once the image is decoded: past the end the reader gives zero bits).
 */
final class Vp8l {
    /** Bad data: the message says what (the caller adds which image). */
    static final class BadData extends RuntimeException {
        BadData(String message) {
            super(message, null, false, false);
        }
    }

    private static final int ROOT_BITS = 8;
    private static final int LENGTH_CODES = 24;
    private static final int CODE_LENGTH_CODES = 19;
    private static final int[] CODE_LENGTH_ORDER = {17, 18, 0, 1, 2, 3, 4, 5, 16, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
    private static final int MAX_CODE_LENGTH = 15;
    private static final int CACHE_MULTIPLIER = 0x1e35a7bd;
    /** The spec's distance map: (dx, dy) of distance codes 1-120, dx then dy. */
    private static final int[] DISTANCE_MAP = {
        0, 1, 1, 0, 1, 1, -1, 1, 0, 2, 2, 0, 1, 2, -1, 2, 2, 1, -2, 1, 2, 2, -2, 2, 0, 3, 3, 0, 1, 3, -1, 3, 3, 1,
        -3, 1, 2, 3, -2, 3, 3, 2, -3, 2, 0, 4, 4, 0, 1, 4, -1, 4, 4, 1, -4, 1, 3, 3, -3, 3, 2, 4, -2, 4, 4, 2,
        -4, 2, 0, 5, 3, 4, -3, 4, 4, 3, -4, 3, 5, 0, 1, 5, -1, 5, 5, 1, -5, 1, 2, 5, -2, 5, 5, 2, -5, 2, 4, 4,
        -4, 4, 3, 5, -3, 5, 5, 3, -5, 3, 0, 6, 6, 0, 1, 6, -1, 6, 6, 1, -6, 1, 2, 6, -2, 6, 6, 2, -6, 2, 4, 5,
        -4, 5, 5, 4, -5, 4, 3, 6, -3, 6, 6, 3, -6, 3, 0, 7, 7, 0, 1, 7, -1, 7, 5, 5, -5, 5, 7, 1, -7, 1, 4, 6,
        -4, 6, 6, 4, -6, 4, 2, 7, -2, 7, 7, 2, -7, 2, 3, 7, -3, 7, 7, 3, -7, 3, 5, 6, -5, 6, 6, 5, -6, 5, 8, 0,
        4, 7, -4, 7, 7, 4, -7, 4, 8, 1, 8, 2, 6, 6, -6, 6, 8, 3, 5, 7, -5, 7, 7, 5, -7, 5, 8, 4, 6, 7, -6, 7,
        7, 6, -7, 6, 8, 5, 7, 7, -7, 7, 8, 6, 8, 7};

    private final byte[] d;
    private final int end;
    private int pos;
    /** Unread bits, the next one lowest; {@code nbits} of them are valid. */
    private long bits;
    private int nbits;
    /** Zero bytes fed to {@link #bits} past {@link #end}. */
    private int overrun;
    /** Scratch for building prefix tables (the largest needs 256 + 2^7 * 256 entries at most). */
    private final int[] scratch = new int[256 + (1 << 15)];

    private Vp8l(byte[] d, int start, int end) {
        this.d = d;
        this.pos = start;
        this.end = end;
    }

    /**
     * Decodes the VP8L bitstream at {@code d[start, end)} (from its signature byte) of an image whose size the
     * caller has read from the same header and bounded.
     *
     * @throws BadData if the data is not a lossless WebP of that size
     */
    static int[] decode(byte[] d, int start, int end, int width, int height) {
        Vp8l r = new Vp8l(d, start, end);
        if (r.read(8) != 0x2F) {
            throw new BadData("bad VP8L signature");
        }
        int w = r.read(14) + 1;
        int h = r.read(14) + 1;
        boolean alpha = r.read(1) == 1;
        if (r.read(3) != 0) {
            throw new BadData("unknown VP8L version");
        }
        if (w != width || h != height) {
            throw new BadData("VP8L size " + w + "x" + h + " differs from " + width + "x" + height);
        }
        int[] px = r.image(w, h);
        if (!alpha) {
            for (int y = 0; y < h; y++) { // a row a call, as pixels() does: compiled early
                opaque(px, y * w, y * w + w);
            }
        }
        return px;
    }

    private static void opaque(int[] px, int from, int to) {
        for (int i = from; i < to; i++) {
            px[i] |= 0xFF000000;
        }
    }

    private void fill() {
        if (overran()) { // stops a long run of codes over the zeros past the end
            throw new BadData("truncated");
        }
        while (nbits <= 56) {
            if (pos < end) {
                bits |= (long) (d[pos++] & 0xFF) << nbits;
            } else {
                overrun++;
            }
            nbits += 8;
        }
    }

    private int read(int n) {
        if (nbits < n) {
            fill();
        }
        int v = (int) bits & ((1 << n) - 1);
        bits >>>= n;
        nbits -= n;
        return v;
    }

    /** Whether bits past the end of the data were used. */
    private boolean overran() {
        return overrun * 8 > nbits;
    }

    private static int divRoundUp(int n, int bitsOfDen) {
        return (n + (1 << bitsOfDen) - 1) >> bitsOfDen;
    }

    /** The main image: transforms, then the spatially coded pixels, then the transforms undone. */
    private int[] image(int width, int height) {
        List<int[]> transforms = new ArrayList<>(4); // {type, bits, xsize}
        List<int[]> data = new ArrayList<>(4);
        int xsize = width;
        int seen = 0;
        while (read(1) == 1) {
            int type = read(2);
            if ((seen & 1 << type) != 0) {
                throw new BadData("transform " + type + " twice");
            }
            seen |= 1 << type;
            switch (type) {
                case 0, 1 -> {
                    int b = read(3) + 2;
                    transforms.add(new int[] {type, b, xsize});
                    data.add(entropyCoded(divRoundUp(xsize, b), divRoundUp(height, b), false));
                }
                case 2 -> {
                    transforms.add(new int[] {type, 0, xsize});
                    data.add(null);
                }
                default -> {
                    int size = read(8) + 1;
                    int[] table = entropyCoded(size, 1, false);
                    int[] full = new int[256]; // an index past the table's end gives transparent black
                    int prev = 0;
                    for (int i = 0; i < size; i++) {
                        prev = add(prev, table[i]);
                        full[i] = prev;
                    }
                    int b = size <= 2 ? 3 : size <= 4 ? 2 : size <= 16 ? 1 : 0;
                    transforms.add(new int[] {type, b, xsize});
                    data.add(full);
                    xsize = divRoundUp(xsize, b);
                }
            }
        }
        int[] px = entropyCoded(xsize, height, true);
        for (int t = transforms.size() - 1; t >= 0; t--) {
            int[] tr = transforms.get(t);
            int[] td = data.get(t);
            switch (tr[0]) {
                case 0 -> unpredict(px, tr[2], height, tr[1], td);
                case 1 -> uncolor(px, tr[2], height, tr[1], td);
                case 2 -> {
                    for (int y = 0; y < height; y++) {
                        addGreen(px, y * tr[2], y * tr[2] + tr[2]);
                    }
                }
                default -> px = unindex(px, tr[2], height, tr[1], td);
            }
        }
        return px;
    }

    /** Per-channel sum, each channel modulo 256. */
    private static int add(int a, int b) {
        return ((a & 0xFF00FF00) + (b & 0xFF00FF00)) & 0xFF00FF00 | ((a & 0x00FF00FF) + (b & 0x00FF00FF)) & 0x00FF00FF;
    }

    /** Per-channel floor((a + b) / 2). */
    private static int avg(int a, int b) {
        return (a & b) + (((a ^ b) & 0xFEFEFEFE) >>> 1);
    }

    private static int clamp(int v) {
        return v < 0 ? 0 : v > 255 ? 255 : v;
    }

    private static int select(int l, int t, int tl) {
        int pl = 0;
        int pt = 0;
        for (int s = 0; s < 32; s += 8) {
            int cl = l >>> s & 0xFF;
            int ct = t >>> s & 0xFF;
            int ctl = tl >>> s & 0xFF;
            pl += Math.abs(ct - ctl); // |estimate - L| with estimate = L + T - TL
            pt += Math.abs(cl - ctl);
        }
        return pl < pt ? l : t;
    }

    private static int addSubtractFull(int a, int b, int c) {
        int v = 0;
        for (int s = 0; s < 32; s += 8) {
            v |= clamp((a >>> s & 0xFF) + (b >>> s & 0xFF) - (c >>> s & 0xFF)) << s;
        }
        return v;
    }

    private static int addSubtractHalf(int a, int b) {
        int v = 0;
        for (int s = 0; s < 32; s += 8) {
            int ca = a >>> s & 0xFF;
            v |= clamp(ca + (ca - (b >>> s & 0xFF)) / 2) << s;
        }
        return v;
    }

    /** Undoes the predictor transform in place. */
    private static void unpredict(int[] px, int w, int h, int b, int[] modes) {
        int tw = divRoundUp(w, b);
        px[0] = add(px[0], 0xFF000000);
        for (int x = 1; x < w; x++) {
            px[x] = add(px[x], px[x - 1]);
        }
        for (int y = 1; y < h; y++) {
            int row = y * w;
            px[row] = add(px[row], px[row - w]);
            int mrow = (y >> b) * tw;
            for (int x0 = 1; x0 < w; ) {
                int x1 = Math.min(w, ((x0 >> b) + 1) << b);
                predictRun(px, row + x0, row + x1, w, modes[mrow + (x0 >> b)] >>> 8 & 0xF);
                x0 = x1;
            }
        }
    }

    /** Undoes prediction of {@code px[from, to)} (one row, none at its start) by one mode. */
    private static void predictRun(int[] px, int from, int to, int w, int mode) {
        switch (mode) {
            case 1 -> {
                for (int i = from; i < to; i++) {
                    px[i] = add(px[i], px[i - 1]);
                }
            }
            case 2 -> {
                for (int i = from; i < to; i++) {
                    px[i] = add(px[i], px[i - w]);
                }
            }
            case 3 -> {
                for (int i = from; i < to; i++) {
                    px[i] = add(px[i], px[i - w + 1]);
                }
            }
            case 4 -> {
                for (int i = from; i < to; i++) {
                    px[i] = add(px[i], px[i - w - 1]);
                }
            }
            case 5 -> {
                for (int i = from; i < to; i++) {
                    px[i] = add(px[i], avg(avg(px[i - 1], px[i - w + 1]), px[i - w]));
                }
            }
            case 6 -> {
                for (int i = from; i < to; i++) {
                    px[i] = add(px[i], avg(px[i - 1], px[i - w - 1]));
                }
            }
            case 7 -> {
                for (int i = from; i < to; i++) {
                    px[i] = add(px[i], avg(px[i - 1], px[i - w]));
                }
            }
            case 8 -> {
                for (int i = from; i < to; i++) {
                    px[i] = add(px[i], avg(px[i - w - 1], px[i - w]));
                }
            }
            case 9 -> {
                for (int i = from; i < to; i++) {
                    px[i] = add(px[i], avg(px[i - w], px[i - w + 1]));
                }
            }
            case 10 -> {
                for (int i = from; i < to; i++) {
                    px[i] = add(px[i], avg(avg(px[i - 1], px[i - w - 1]), avg(px[i - w], px[i - w + 1])));
                }
            }
            case 11 -> {
                for (int i = from; i < to; i++) {
                    px[i] = add(px[i], select(px[i - 1], px[i - w], px[i - w - 1]));
                }
            }
            case 12 -> {
                for (int i = from; i < to; i++) {
                    px[i] = add(px[i], addSubtractFull(px[i - 1], px[i - w], px[i - w - 1]));
                }
            }
            case 13 -> {
                for (int i = from; i < to; i++) {
                    px[i] = add(px[i], addSubtractHalf(avg(px[i - 1], px[i - w]), px[i - w - 1]));
                }
            }
            default -> { // 0, and 14 and 15 as libwebp reads them
                for (int i = from; i < to; i++) {
                    px[i] = add(px[i], 0xFF000000);
                }
            }
        }
    }

    /** Undoes the colour transform in place. */
    private static void uncolor(int[] px, int w, int h, int b, int[] elems) {
        int tw = divRoundUp(w, b);
        for (int y = 0; y < h; y++) {
            uncolorRow(px, y * w, w, elems, (y >> b) * tw, b);
        }
    }

    /** Undoes the colour transform of the row at {@code px[row]}, its blocks' elements from {@code elems[erow]}. */
    private static void uncolorRow(int[] px, int row, int w, int[] elems, int erow, int b) {
        for (int x0 = 0; x0 < w; ) {
            int x1 = Math.min(w, ((x0 >> b) + 1) << b);
            int e = elems[erow + (x0 >> b)];
            int g2r = (byte) e;
            int g2b = (byte) (e >> 8);
            int r2b = (byte) (e >> 16);
            for (int i = row + x0; i < row + x1; i++) {
                int p = px[i];
                int g = (byte) (p >> 8);
                int r = (p >> 16) + (g2r * g >> 5) & 0xFF;
                int bl = p + (g2b * g >> 5) + (r2b * (byte) r >> 5) & 0xFF;
                px[i] = p & 0xFF00FF00 | r << 16 | bl;
            }
            x0 = x1;
        }
    }

    private static void addGreen(int[] px, int from, int to) {
        for (int i = from; i < to; i++) {
            int p = px[i];
            int g = p >> 8 & 0xFF;
            px[i] = p & 0xFF00FF00 | ((p & 0x00FF00FF) + (g << 16 | g)) & 0x00FF00FF;
        }
    }

    /** Undoes colour indexing: {@code px} is {@code divRoundUp(w, b)} wide, the result {@code w}. */
    private static int[] unindex(int[] px, int w, int h, int b, int[] table) {
        if (b == 0) {
            for (int i = 0; i < w * h; i++) {
                px[i] = table[px[i] >> 8 & 0xFF];
            }
            return px;
        }
        int pw = divRoundUp(w, b);
        int per = 8 >> b;
        int mask = (1 << per) - 1;
        int xmask = (1 << b) - 1;
        int[] out = new int[w * h];
        for (int y = 0; y < h; y++) {
            int in = y * pw;
            int o = y * w;
            for (int x = 0; x < w; x++) {
                out[o + x] = table[px[in + (x >> b)] >> 8 + per * (x & xmask) & mask];
            }
        }
        return out;
    }

    /**
     * Entropy-coded image data of {@code xsize * ysize} pixels: colour cache info, meta prefix codes (the main image
     * only), prefix code groups, then the LZ77-coded pixels.
     */
    private int[] entropyCoded(int xsize, int ysize, boolean main) {
        int cacheBits = 0;
        if (read(1) == 1) {
            cacheBits = read(4);
            if (cacheBits < 1 || cacheBits > 11) {
                throw new BadData("colour cache bits " + cacheBits + " outside 1..11");
            }
        }
        int prefixBits = 0;
        int[] entropy = null;
        int groups = 1;
        if (main && read(1) == 1) {
            prefixBits = read(3) + 2;
            entropy = entropyCoded(divRoundUp(xsize, prefixBits), divRoundUp(ysize, prefixBits), false);
            for (int i = 0; i < entropy.length; i++) {
                entropy[i] = entropy[i] >> 8 & 0xFFFF;
                groups = Math.max(groups, entropy[i] + 1);
            }
        }
        boolean[] used = new boolean[groups];
        if (entropy == null) {
            used[0] = true;
        } else {
            for (int g : entropy) {
                used[g] = true;
            }
        }
        int cacheSize = cacheBits == 0 ? 0 : 1 << cacheBits;
        int[][] tables = new int[groups * 5][];
        int[] lengths = new int[256 + LENGTH_CODES + (1 << 11)];
        for (int g = 0; g < groups; g++) {
            for (int k = 0; k < 5; k++) {
                int alphabet = k == 0 ? 256 + LENGTH_CODES + cacheSize : k == 4 ? 40 : 256;
                codeLengths(lengths, alphabet);
                if (used[g]) { // an unused group is read, not built (as libwebp does)
                    tables[g * 5 + k] = build(lengths, alphabet);
                    if (tables[g * 5 + k] == null) {
                        throw new BadData("invalid prefix code");
                    }
                }
            }
        }
        if (overran()) {
            throw new BadData("truncated");
        }
        int[] px = pixels(xsize, ysize, tables, entropy, prefixBits, cacheBits);
        if (overran()) {
            throw new BadData("truncated");
        }
        return px;
    }

    /** Reads one prefix code's lengths into {@code lens[0, alphabet)}. */
    private void codeLengths(int[] lens, int alphabet) {
        java.util.Arrays.fill(lens, 0, Math.max(alphabet, 256), 0);
        if (read(1) == 1) { // simple: one or two symbols below 256
            int n = read(1) + 1;
            int s0 = read(read(1) == 1 ? 8 : 1);
            lens[s0] = 1;
            if (n == 2) {
                lens[read(8)] = 1;
            }
            return; // a symbol past a small alphabet (distance: 40) is left out, as libwebp does
        }
        int[] cl = new int[CODE_LENGTH_CODES];
        int num = read(4) + 4;
        for (int i = 0; i < num; i++) {
            cl[CODE_LENGTH_ORDER[i]] = read(3);
        }
        int[] clTable = build(cl, CODE_LENGTH_CODES);
        if (clTable == null) {
            throw new BadData("invalid code length code");
        }
        int max = alphabet;
        if (read(1) == 1) {
            int nb = 2 + 2 * read(3);
            max = 2 + read(nb);
            if (max > alphabet) {
                throw new BadData("max symbol " + max + " past the alphabet of " + alphabet);
            }
        }
        int prev = 8;
        int s = 0;
        while (s < alphabet) {
            if (max-- == 0) {
                break;
            }
            if (nbits < MAX_CODE_LENGTH) {
                fill();
            }
            int e = clTable[(int) bits & 0xFF];
            int l = e & 0xFF;
            bits >>>= l;
            nbits -= l;
            int c = e >>> 8;
            if (c < 16) {
                lens[s++] = c;
                if (c != 0) {
                    prev = c;
                }
            } else {
                int rep = c == 16 ? 3 + read(2) : c == 17 ? 3 + read(3) : 11 + read(7);
                if (s + rep > alphabet) {
                    throw new BadData("code lengths past the alphabet");
                }
                java.util.Arrays.fill(lens, s, s + rep, c == 16 ? prev : 0);
                s += rep;
            }
        }
    }

    /**
     * A two-level lookup table of a canonical prefix code: indexed by the next {@value #ROOT_BITS} bits, an entry
     * is {@code symbol << 8 | length}, or for longer codes {@code offset << 8 | (ROOT_BITS + subBits)}, the
     * second-level table at {@code offset} indexed by the {@code subBits} bits after those. A code of one symbol
     * takes no bits. Null if the lengths make no complete code.
     */
    private int[] build(int[] lens, int n) {
        int[] count = new int[MAX_CODE_LENGTH + 1];
        int used = 0;
        int only = 0;
        for (int s = 0; s < n; s++) {
            count[lens[s]]++;
            if (lens[s] != 0) {
                used++;
                only = s;
            }
        }
        if (used == 0) {
            return null;
        }
        if (used == 1) {
            int[] t = new int[1 << ROOT_BITS];
            java.util.Arrays.fill(t, only << 8);
            return t;
        }
        int space = 1 << MAX_CODE_LENGTH;
        for (int l = 1; l <= MAX_CODE_LENGTH; l++) {
            space -= count[l] << (MAX_CODE_LENGTH - l);
        }
        if (space != 0) {
            return null;
        }
        int[] offs = new int[MAX_CODE_LENGTH + 2];
        for (int l = 1; l <= MAX_CODE_LENGTH; l++) {
            offs[l + 1] = offs[l] + count[l];
        }
        int[] sorted = new int[used];
        for (int s = 0; s < n; s++) {
            if (lens[s] != 0) {
                sorted[offs[lens[s]]++] = s;
            }
        }
        int[] t = scratch;
        int size = 1 << ROOT_BITS;
        int code = 0; // canonical, first bit highest
        int len = 1;
        int[] left = count.clone(); // codes of each length not yet placed
        int subPrefix = -1;
        int subAt = 0;
        int subBits = 0;
        for (int i = 0; i < used; i++) {
            int s = sorted[i];
            while (lens[s] > len) {
                code <<= 1;
                len++;
            }
            int rev = Integer.reverse(code) >>> (32 - len); // the first bit read lowest
            if (len <= ROOT_BITS) {
                for (int j = rev; j < 1 << ROOT_BITS; j += 1 << len) {
                    t[j] = s << 8 | len;
                }
            } else {
                int root = rev & ((1 << ROOT_BITS) - 1);
                if (root != subPrefix) { // a new second-level table, as wide as the codes under this root need
                    subPrefix = root;
                    subBits = len - ROOT_BITS;
                    int room = 1 << subBits;
                    for (int l = len; l < MAX_CODE_LENGTH; l++) {
                        room -= left[l];
                        if (room <= 0) {
                            break;
                        }
                        subBits++;
                        room <<= 1;
                    }
                    subAt = size;
                    size += 1 << subBits;
                    t[root] = subAt << 8 | (ROOT_BITS + subBits);
                }
                for (int j = rev >>> ROOT_BITS; j < 1 << subBits; j += 1 << (len - ROOT_BITS)) {
                    t[subAt + j] = s << 8 | (len - ROOT_BITS);
                }
            }
            left[len]--;
            code++;
        }
        return java.util.Arrays.copyOf(t, size);
    }

    /**
     * Whether no green code of a group is a back reference or a cache index (SOG's images of noisy data have none):
     * its pixels are then four literals each, decoded without the per-pixel checks.
     */
    private static boolean literalsOnly(int[] green) {
        for (int j = 0; j < green.length; j++) {
            // root entries of longer codes point to their second-level table; all others are symbols
            if ((j >= 1 << ROOT_BITS || (green[j] & 0xFF) <= ROOT_BITS) && green[j] >>> 8 >= 256) {
                return false;
            }
        }
        return true;
    }

    /**
     * The code length shared by every symbol of a one-level table (0 for a code of one symbol), or -1 if lengths
     * differ or a code is longer than {@value #ROOT_BITS} bits.
     */
    private static int fixedLength(int[] t) {
        if (t.length != 1 << ROOT_BITS) {
            return -1;
        }
        int l = t[0] & 0xFF;
        for (int e : t) {
            if ((e & 0xFF) != l) {
                return -1;
            }
        }
        return l;
    }

    /** {@link #pixels}' kind of a group that is not all literals (or whose image keeps a colour cache). */
    private static final int GENERAL = -2;
    /** {@link #pixels}' kind of a group of literals whose codes have several lengths. */
    private static final int LITERALS = -1;

    /**
     * The LZ77-coded pixels, decoded in runs that share one group (the fastest way each group allows: see
     * {@link #fixedRun}, {@link #literalRun}, {@link #generalRun}), a row at a time. Runs are short ({@value #RUN}
     * pixels at most) so that the JIT compiles the run methods after a few thousand pixels: a loop over a whole image
     * in one call runs in the interpreter until the JIT compiles it on the stack, some 60,000 iterations in, and
     * interpreted pixels cost tens of times as much.
     */
    private int[] pixels(int xsize, int ysize, int[][] tables, int[] entropy, int prefixBits, int cacheBits) {
        int n = xsize * ysize;
        int[] px = new int[n];
        int groups = tables.length / 5;
        // per group: fixed field lengths g r b a (8 bits each), LITERALS or GENERAL; unused groups are never looked up
        int[] kinds = new int[groups];
        for (int g = 0; g < groups; g++) {
            if (tables[g * 5] == null) {
                continue;
            }
            // a colour cache takes every pixel: only the general runs keep it
            kinds[g] = cacheBits > 0 || !literalsOnly(tables[g * 5]) ? GENERAL : LITERALS;
            if (kinds[g] == LITERALS) {
                int w = 0;
                for (int k = 3; k >= 0 && w >= 0; k--) {
                    int l = fixedLength(tables[g * 5 + k]);
                    w = l < 0 ? LITERALS : w << 8 | l;
                }
                kinds[g] = w;
            }
        }
        int[] cache = cacheBits == 0 ? null : new int[1 << cacheBits];
        int i = 0;
        while (i < n) {
            i = row(px, i, xsize, tables, kinds, entropy, prefixBits, cache, cacheBits);
        }
        return px;
    }

    /** Most pixels {@link #pixels} decodes in one call of a run method (a power of two). */
    private static final int RUN = 64;

    /**
     * Decodes pixels from {@code i} to the end of its row, in runs of one group; returns where it stopped (past the
     * row's end if a back reference runs on).
     */
    private int row(int[] px, int i, int xsize, int[][] tables, int[] kinds, int[] entropy, int prefixBits, int[] cache,
            int cacheBits) {
        int rowStart = i - i % xsize;
        int rowEnd = rowStart + xsize;
        // runs end at group boundaries: the block width when there are groups, a power of two like RUN
        int runBits = entropy == null ? Integer.numberOfTrailingZeros(RUN) : Math.min(prefixBits,
                Integer.numberOfTrailingZeros(RUN));
        int erow = entropy == null ? 0 : ((rowStart / xsize) >> prefixBits) * divRoundUp(xsize, prefixBits);
        while (i < rowEnd) {
            int x = i - rowStart;
            int at = entropy == null ? 0 : entropy[erow + (x >> prefixBits)] * 5;
            int end = rowStart + Math.min(xsize, ((x >> runBits) + 1) << runBits);
            int kind = kinds[at / 5];
            if (kind >= 0) {
                fixedRun(px, i, end, tables[at], tables[at + 1], tables[at + 2], tables[at + 3], kind);
                i = end;
            } else if (kind == LITERALS) {
                literalRun(px, i, end, tables[at], tables[at + 1], tables[at + 2], tables[at + 3]);
                i = end;
            } else {
                i = generalRun(px, i, end, tables, at, xsize, cache, cacheBits);
            }
        }
        return i;
    }

    /**
     * Literal pixels whose codes each have one length: each pixel is its fields of those lengths (green, red, blue,
     * alpha; at most 32 bits), each looked up in its one-level table.
     */
    private void fixedRun(int[] px, int from, int to, int[] tg, int[] tr, int[] tb, int[] ta, int widths) {
        int sr = widths & 0xFF;
        int sb = sr + (widths >>> 8 & 0xFF);
        int sa = sb + (widths >>> 16 & 0xFF);
        int w = sa + (widths >>> 24);
        long bits = this.bits;
        int nbits = this.nbits;
        int pos = this.pos;
        byte[] d = this.d;
        int end = this.end;
        for (int i = from; i < to; i++) {
            if (nbits < 32) {
                if (pos + 4 <= end) {
                    bits |= ((d[pos] & 0xFFL) | (d[pos + 1] & 0xFFL) << 8 | (d[pos + 2] & 0xFFL) << 16
                            | (d[pos + 3] & 0xFFL) << 24) << nbits;
                    pos += 4;
                    nbits += 32;
                } else {
                    this.bits = bits;
                    this.nbits = nbits;
                    this.pos = pos;
                    fill();
                    bits = this.bits;
                    nbits = this.nbits;
                }
            }
            int v = (int) bits;
            // a table entry is symbol << 8 | length
            px[i] = (ta[v >>> sa & 0xFF] & ~0xFF) << 16 | (tr[v >>> sr & 0xFF] & ~0xFF) << 8
                    | tg[v & 0xFF] & ~0xFF | tb[v >>> sb & 0xFF] >>> 8;
            bits >>>= w;
            nbits -= w;
        }
        this.bits = bits;
        this.nbits = nbits;
        this.pos = pos;
    }

    /** Literal pixels: four prefix-coded symbols each, green red blue alpha. */
    private void literalRun(int[] px, int from, int to, int[] tg, int[] tr, int[] tb, int[] ta) {
        long bits = this.bits;
        int nbits = this.nbits;
        int pos = this.pos;
        byte[] d = this.d;
        int end = this.end;
        for (int i = from; i < to; i++) {
            if (nbits < 32) {
                if (pos + 4 <= end) {
                    bits |= ((d[pos] & 0xFFL) | (d[pos + 1] & 0xFFL) << 8 | (d[pos + 2] & 0xFFL) << 16
                            | (d[pos + 3] & 0xFFL) << 24) << nbits;
                    pos += 4;
                    nbits += 32;
                } else {
                    this.bits = bits;
                    this.nbits = nbits;
                    this.pos = pos;
                    fill();
                    bits = this.bits;
                    nbits = this.nbits;
                }
            }
            int e = tg[(int) bits & 0xFF];
            int l = e & 0xFF;
            if (l > ROOT_BITS) {
                bits >>>= ROOT_BITS;
                nbits -= ROOT_BITS;
                e = tg[(e >>> 8) + ((int) bits & ((1 << (l - ROOT_BITS)) - 1))];
                l = e & 0xFF;
            }
            bits >>>= l;
            nbits -= l;
            int green = e >>> 8;
            e = tr[(int) bits & 0xFF];
            l = e & 0xFF;
            if (l > ROOT_BITS) {
                bits >>>= ROOT_BITS;
                nbits -= ROOT_BITS;
                e = tr[(e >>> 8) + ((int) bits & ((1 << (l - ROOT_BITS)) - 1))];
                l = e & 0xFF;
            }
            bits >>>= l;
            nbits -= l;
            int red = e >>> 8;
            if (nbits < 32) {
                if (pos + 4 <= end) {
                    bits |= ((d[pos] & 0xFFL) | (d[pos + 1] & 0xFFL) << 8 | (d[pos + 2] & 0xFFL) << 16
                            | (d[pos + 3] & 0xFFL) << 24) << nbits;
                    pos += 4;
                    nbits += 32;
                } else {
                    this.bits = bits;
                    this.nbits = nbits;
                    this.pos = pos;
                    fill();
                    bits = this.bits;
                    nbits = this.nbits;
                }
            }
            e = tb[(int) bits & 0xFF];
            l = e & 0xFF;
            if (l > ROOT_BITS) {
                bits >>>= ROOT_BITS;
                nbits -= ROOT_BITS;
                e = tb[(e >>> 8) + ((int) bits & ((1 << (l - ROOT_BITS)) - 1))];
                l = e & 0xFF;
            }
            bits >>>= l;
            nbits -= l;
            int blue = e >>> 8;
            e = ta[(int) bits & 0xFF];
            l = e & 0xFF;
            if (l > ROOT_BITS) {
                bits >>>= ROOT_BITS;
                nbits -= ROOT_BITS;
                e = ta[(e >>> 8) + ((int) bits & ((1 << (l - ROOT_BITS)) - 1))];
                l = e & 0xFF;
            }
            bits >>>= l;
            nbits -= l;
            px[i] = (e >>> 8) << 24 | red << 16 | green << 8 | blue;
        }
        this.bits = bits;
        this.nbits = nbits;
        this.pos = pos;
    }

    /**
     * Pixels of any kind (literals, back references, colour cache indices) from {@code from} until {@code to} is
     * reached, with the group at {@code tables[at]}; returns where it stopped (past {@code to} if a back reference
     * runs on). With a colour cache every pixel before {@code from} is in it.
     */
    private int generalRun(int[] px, int from, int to, int[][] tables, int at, int xsize, int[] cache, int cacheBits) {
        int n = px.length;
        int cacheShift = 32 - cacheBits;
        int[] tg = tables[at], tr = tables[at + 1], tb = tables[at + 2], ta = tables[at + 3], td = tables[at + 4];
        long bits = this.bits;
        int nbits = this.nbits;
        int pos = this.pos;
        byte[] d = this.d;
        int end = this.end;
        int i = from;
        int cached = from; // pixels before this one are in the cache
        while (i < to) {
            if (nbits < 32) {
                if (pos + 4 <= end) {
                    bits |= ((d[pos] & 0xFFL) | (d[pos + 1] & 0xFFL) << 8 | (d[pos + 2] & 0xFFL) << 16
                            | (d[pos + 3] & 0xFFL) << 24) << nbits;
                    pos += 4;
                    nbits += 32;
                } else {
                    this.bits = bits;
                    this.nbits = nbits;
                    this.pos = pos;
                    fill();
                    bits = this.bits;
                    nbits = this.nbits;
                }
            }
            int e = tg[(int) bits & 0xFF];
            int l = e & 0xFF;
            if (l > ROOT_BITS) {
                bits >>>= ROOT_BITS;
                nbits -= ROOT_BITS;
                e = tg[(e >>> 8) + ((int) bits & ((1 << (l - ROOT_BITS)) - 1))];
                l = e & 0xFF;
            }
            bits >>>= l;
            nbits -= l;
            int sym = e >>> 8;
            if (sym < 256) {
                e = tr[(int) bits & 0xFF];
                l = e & 0xFF;
                if (l > ROOT_BITS) {
                    bits >>>= ROOT_BITS;
                    nbits -= ROOT_BITS;
                    e = tr[(e >>> 8) + ((int) bits & ((1 << (l - ROOT_BITS)) - 1))];
                    l = e & 0xFF;
                }
                bits >>>= l;
                nbits -= l;
                int red = e >>> 8;
                if (nbits < 32) {
                    if (pos + 4 <= end) {
                        bits |= ((d[pos] & 0xFFL) | (d[pos + 1] & 0xFFL) << 8 | (d[pos + 2] & 0xFFL) << 16
                                | (d[pos + 3] & 0xFFL) << 24) << nbits;
                        pos += 4;
                        nbits += 32;
                    } else {
                        this.bits = bits;
                        this.nbits = nbits;
                        this.pos = pos;
                        fill();
                        bits = this.bits;
                        nbits = this.nbits;
                    }
                }
                e = tb[(int) bits & 0xFF];
                l = e & 0xFF;
                if (l > ROOT_BITS) {
                    bits >>>= ROOT_BITS;
                    nbits -= ROOT_BITS;
                    e = tb[(e >>> 8) + ((int) bits & ((1 << (l - ROOT_BITS)) - 1))];
                    l = e & 0xFF;
                }
                bits >>>= l;
                nbits -= l;
                int blue = e >>> 8;
                e = ta[(int) bits & 0xFF];
                l = e & 0xFF;
                if (l > ROOT_BITS) {
                    bits >>>= ROOT_BITS;
                    nbits -= ROOT_BITS;
                    e = ta[(e >>> 8) + ((int) bits & ((1 << (l - ROOT_BITS)) - 1))];
                    l = e & 0xFF;
                }
                bits >>>= l;
                nbits -= l;
                int p = (e >>> 8) << 24 | red << 16 | sym << 8 | blue;
                px[i++] = p;
                if (cache != null) {
                    cache[CACHE_MULTIPLIER * p >>> cacheShift] = p;
                    cached = i;
                }
            } else if (sym < 256 + LENGTH_CODES) {
                this.bits = bits;
                this.nbits = nbits;
                this.pos = pos;
                int length = prefixValue(sym - 256);
                if (this.nbits < MAX_CODE_LENGTH) {
                    fill();
                }
                e = td[(int) this.bits & 0xFF];
                l = e & 0xFF;
                if (l > ROOT_BITS) {
                    this.bits >>>= ROOT_BITS;
                    this.nbits -= ROOT_BITS;
                    e = td[(e >>> 8) + ((int) this.bits & ((1 << (l - ROOT_BITS)) - 1))];
                    l = e & 0xFF;
                }
                this.bits >>>= l;
                this.nbits -= l;
                int code = prefixValue(e >>> 8);
                bits = this.bits;
                nbits = this.nbits;
                pos = this.pos;
                int dist;
                if (code > 120) {
                    dist = code - 120;
                } else {
                    dist = Math.max(1, DISTANCE_MAP[2 * code - 2] + DISTANCE_MAP[2 * code - 1] * xsize);
                }
                if (dist > i || length > n - i) {
                    throw new BadData("back reference outside the image");
                }
                if (dist >= length) {
                    System.arraycopy(px, i - dist, px, i, length);
                } else {
                    for (int k = i; k < i + length; k++) {
                        px[k] = px[k - dist];
                    }
                }
                i += length;
                if (cache != null) {
                    for (; cached < i; cached++) {
                        int p = px[cached];
                        cache[CACHE_MULTIPLIER * p >>> cacheShift] = p;
                    }
                }
            } else {
                int p = cache[sym - 256 - LENGTH_CODES];
                px[i++] = p;
                cache[CACHE_MULTIPLIER * p >>> cacheShift] = p;
                cached = i;
            }
        }
        this.bits = bits;
        this.nbits = nbits;
        this.pos = pos;
        return i;
    }

    /** A length or distance from its prefix symbol and extra bits. */
    private int prefixValue(int prefix) {
        if (prefix < 4) {
            return prefix + 1;
        }
        int extra = (prefix - 2) >> 1;
        int offset = (2 + (prefix & 1)) << extra;
        return offset + read(extra) + 1;
    }
}
