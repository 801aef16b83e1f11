// LIKE / ILIKE patterns compiled to matchers (% any run, _ one character, with an escape): a chain of
// indexOf calls for patterns of literal text and %, a regular expression otherwise. Evaluated per row
// by the like/not_like functions (host/functions/registry.ts evalLike).

/** Compiles a LIKE pattern; `escape` defaults to backslash as in PostgreSQL (empty string: no escape). */
export function likeToRegExp(pattern: string, caseInsensitive: boolean, escape = '\\'): RegExp {
  let re = '^';
  const chars = [...pattern];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (escape !== '' && c === escape && i + 1 < chars.length) {
      re += escapeRe(chars[++i]!);
    } else if (c === '%') re += '[\\s\\S]*';
    else if (c === '_') re += '[\\s\\S]';
    else re += escapeRe(c);
  }
  return new RegExp(re + '$', caseInsensitive ? 'isu' : 'su');
}

// Only syntax characters: with the `u` flag, escaping anything else (such as `-`) is an error.
function escapeRe(c: string): string { return c.replace(/[.*+?^${}()|[\]\\\/]/g, '\\$&'); }

/**
 * A LIKE pattern of literal text and `%` only, as its pieces: `first` anchored at the start, `last` at
 * the end, the non-empty `middle` pieces to find in order between them; `exact` when there is no `%`.
 */
export interface LiteralLikePattern { exact: boolean; first: string; last: string; middle: string[] }

/** The pieces of a case-sensitive pattern without `_` or the escape character; null for any other pattern. */
export function literalLikePieces(pattern: string, caseInsensitive: boolean, escape = '\\'): LiteralLikePattern | null {
  if (caseInsensitive || pattern.includes('_') || (escape !== '' && pattern.includes(escape))) return null;
  const pieces = pattern.split('%');
  if (pieces.length === 1) return { exact: true, first: pattern, last: '', middle: [] };
  return { exact: false, first: pieces[0]!, last: pieces[pieces.length - 1]!, middle: pieces.slice(1, -1).filter((p) => p.length > 0) };
}

/**
 * A test for one LIKE pattern. A case-sensitive pattern of literal text and `%` only (the common
 * '%special%requests%' form) is matched by finding each literal piece in order with indexOf, the
 * first anchored at the start and the last at the end; anything else uses likeToRegExp.
 */
export function likeMatcher(pattern: string, caseInsensitive: boolean, escape = '\\'): (s: string) => boolean {
  const lit = literalLikePieces(pattern, caseInsensitive, escape);
  if (lit === null) {
    const re = likeToRegExp(pattern, caseInsensitive, escape);
    return (s) => re.test(s);
  }
  if (lit.exact) return (s) => s === pattern;
  const { first, last, middle } = lit;
  const fixed = first.length + last.length;
  return (s) => {
    if (s.length < fixed || !s.startsWith(first) || !s.endsWith(last)) return false;
    // The leftmost occurrence of each piece leaves the most room for the ones after it.
    let at = first.length;
    const end = s.length - last.length;
    for (const m of middle) {
      const i = s.indexOf(m, at);
      if (i < 0 || i + m.length > end) return false;
      at = i + m.length;
    }
    return true;
  };
}
