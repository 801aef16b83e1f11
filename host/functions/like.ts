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
 * A test for one LIKE pattern. A case-sensitive pattern of literal text and `%` only (the common
 * '%special%requests%' form) is matched by finding each literal piece in order with indexOf, the
 * first anchored at the start and the last at the end; anything else uses likeToRegExp.
 */
export function likeMatcher(pattern: string, caseInsensitive: boolean, escape = '\\'): (s: string) => boolean {
  if (caseInsensitive || pattern.includes('_') || (escape !== '' && pattern.includes(escape))) {
    const re = likeToRegExp(pattern, caseInsensitive, escape);
    return (s) => re.test(s);
  }
  const pieces = pattern.split('%');
  if (pieces.length === 1) return (s) => s === pattern;
  const first = pieces[0]!, last = pieces[pieces.length - 1]!;
  const middle = pieces.slice(1, -1).filter((p) => p.length > 0);
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
