/**
 * RFC 3492 Punycode, encoding only: turns a U-label into the ASCII of its A-label (without the
 * `xn--` prefix). The arbitraries need it to write IDN domains in ASCII form.
 */

const BASE = 36;
const T_MIN = 1;
const T_MAX = 26;
const SKEW = 38;
const DAMP = 700;
const INITIAL_BIAS = 72;
const INITIAL_N = 0x80;

function digit(d: number): string {
  // 0..25 are a..z, 26..35 are 0..9 (RFC 3492 §5).
  return String.fromCharCode(d < 26 ? 0x61 + d : 0x16 + d);
}

function adapt(delta: number, points: number, first: boolean): number {
  let d = first ? Math.floor(delta / DAMP) : delta >> 1;
  d += Math.floor(d / points);
  let k = 0;
  while (d > ((BASE - T_MIN) * T_MAX) >> 1) {
    d = Math.floor(d / (BASE - T_MIN));
    k += BASE;
  }
  return k + Math.floor(((BASE - T_MIN + 1) * d) / (d + SKEW));
}

/**
 * Encodes `label` (any Unicode) as Punycode (RFC 3492 §6.3).
 *
 * @example
 * encodePunycode("bücher");
 * //=> "bcher-kva"
 */
export function encodePunycode(label: string): string {
  const points = Array.from(label, (ch) => ch.codePointAt(0)!);
  let out = "";
  for (const p of points) if (p < 0x80) out += String.fromCharCode(p);
  const basic = out.length;
  let handled = basic;
  if (basic > 0) out += "-";
  let n = INITIAL_N;
  let delta = 0;
  let bias = INITIAL_BIAS;
  while (handled < points.length) {
    let m = Infinity;
    for (const p of points) if (p >= n && p < m) m = p;
    delta += (m - n) * (handled + 1);
    n = m;
    for (const p of points) {
      if (p < n) delta++;
      if (p !== n) continue;
      let q = delta;
      for (let k = BASE; ; k += BASE) {
        const t = k <= bias ? T_MIN : k >= bias + T_MAX ? T_MAX : k - bias;
        if (q < t) break;
        out += digit(t + ((q - t) % (BASE - t)));
        q = Math.floor((q - t) / (BASE - t));
      }
      out += digit(q);
      bias = adapt(delta, handled + 1, handled === basic);
      delta = 0;
      handled++;
    }
    delta++;
    n++;
  }
  return out;
}

/** The A-label of a label: itself when ASCII, else `xn--` and its Punycode. */
export function toALabel(label: string): string {
  for (let i = 0; i < label.length; i++) if (label.charCodeAt(i) > 0x7f) return "xn--" + encodePunycode(label);
  return label;
}
