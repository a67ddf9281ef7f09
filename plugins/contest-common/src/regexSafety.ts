/**
 * Static safety check for regular-expression flags.
 *
 * Flag patterns come from challenge authors and are run against contestant
 * submissions on the request path, so a pattern that backtracks
 * catastrophically would let anyone stall the contest backend. The check
 * parses the pattern (ECMAScript syntax with the `u` flag) and refuses the
 * constructs that cause exponential or high-degree polynomial backtracking.
 * It is deliberately conservative: it may refuse a pattern that happens to be
 * safe, never the other way round for the constructs it knows about.
 *
 * Isomorphic: no Node.js APIs, no dependencies.
 */

/** Longest accepted flag pattern, in UTF-16 code units. @public */
export const MAX_FLAG_PATTERN_LENGTH = 512;

/** Longest submission a regex flag is ever run against, in UTF-16 code units. @public */
export const MAX_FLAG_SUBMISSION_LENGTH = 256;

/** Result of {@link checkRegexFlagPattern}. @public */
export type RegexFlagPatternCheck =
  | { ok: true }
  | { ok: false; reason: string };

/**
 * How many overlapping variable-length quantifiers may follow one another
 * (the degree of the polynomial backtracking). With a 256-character
 * submission, degree 3 costs 15–50 ms in V8 and degree 4 about a second.
 */
const MAX_QUANTIFIER_CHAIN = 3;

/** How many ways sequential ambiguous alternations may multiply to. */
const MAX_AMBIGUOUS_ALTERNATIONS = 64;

// ---------------------------------------------------------------------------
// Character sets: sorted, disjoint, non-adjacent inclusive code point ranges.

type CharSet = ReadonlyArray<readonly [number, number]>;

const MAX_CODE_POINT = 0x10ffff;
const EMPTY: CharSet = [];
const ANY: CharSet = [[0, MAX_CODE_POINT]];

function normalize(ranges: Array<readonly [number, number]>): CharSet {
  const sorted = ranges
    .filter(([lo, hi]) => lo <= hi)
    .sort((a, b) => a[0] - b[0]);
  const out: Array<[number, number]> = [];
  for (const [lo, hi] of sorted) {
    const last = out[out.length - 1];
    if (last && lo <= last[1] + 1) {
      last[1] = Math.max(last[1], hi);
    } else {
      out.push([lo, hi]);
    }
  }
  return out;
}

function union(...sets: CharSet[]): CharSet {
  return normalize(sets.flat());
}

function complement(set: CharSet): CharSet {
  const out: Array<[number, number]> = [];
  let next = 0;
  for (const [lo, hi] of set) {
    if (lo > next) {
      out.push([next, lo - 1]);
    }
    next = hi + 1;
  }
  if (next <= MAX_CODE_POINT) {
    out.push([next, MAX_CODE_POINT]);
  }
  return out;
}

function intersects(a: CharSet, b: CharSet): boolean {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i][1] < b[j][0]) {
      i++;
    } else if (b[j][1] < a[i][0]) {
      j++;
    } else {
      return true;
    }
  }
  return false;
}

function has(set: CharSet, cp: number): boolean {
  let lo = 0;
  let hi = set.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (cp < set[mid][0]) {
      hi = mid - 1;
    } else if (cp > set[mid][1]) {
      lo = mid + 1;
    } else {
      return true;
    }
  }
  return false;
}

const single = (cp: number): CharSet => [[cp, cp]];

const DIGIT: CharSet = [[0x30, 0x39]];
const WORD: CharSet = normalize([
  [0x30, 0x39],
  [0x41, 0x5a],
  [0x5f, 0x5f],
  [0x61, 0x7a],
]);
const SPACE: CharSet = normalize([
  [0x09, 0x0d],
  [0x20, 0x20],
  [0xa0, 0xa0],
  [0x1680, 0x1680],
  [0x2000, 0x200a],
  [0x2028, 0x2029],
  [0x202f, 0x202f],
  [0x205f, 0x205f],
  [0x3000, 0x3000],
  [0xfeff, 0xfeff],
]);

// Case folding. Every set is closed under case equivalence as it is built, so
// that the analysis is valid whether or not the pattern runs with `i` (or
// `(?i:…)`). The equivalence classes are derived once, lazily, from
// toLowerCase/toUpperCase; this over-approximates the simple case folding the
// `u` flag uses, which only makes the check more conservative.

let caseTable: { cased: number[]; members: Map<number, number[]> } | undefined;

function getCaseTable() {
  if (caseTable) {
    return caseTable;
  }
  const parent = new Map<number, number>();
  const find = (x: number): number => {
    let root = x;
    while (parent.has(root) && parent.get(root) !== root) {
      root = parent.get(root)!;
    }
    parent.set(x, root);
    return root;
  };
  const join = (a: number, b: number) => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) {
      parent.set(ra, rb);
    }
  };
  const singleCodePoint = (s: string): number | undefined => {
    const cp = s.codePointAt(0);
    return cp !== undefined && s.length === (cp > 0xffff ? 2 : 1)
      ? cp
      : undefined;
  };
  // Case mappings only exist below U+20000. Map blocks of 256 code points at
  // once and look at single code points only in blocks that change.
  for (let block = 0; block < 0x20000; block += 0x100) {
    if (block >= 0xd800 && block < 0xe000) {
      continue;
    }
    const cps: number[] = [];
    for (let cp = block; cp < block + 0x100; cp++) {
      cps.push(cp);
    }
    const text = String.fromCodePoint(...cps);
    if (text.toLowerCase() === text && text.toUpperCase() === text) {
      continue;
    }
    for (let cp = block; cp < block + 0x100; cp++) {
      const s = String.fromCodePoint(cp);
      for (const other of [s.toLowerCase(), s.toUpperCase()]) {
        const o = other === s ? undefined : singleCodePoint(other);
        if (o !== undefined) {
          join(cp, o);
        }
      }
    }
  }
  const classes = new Map<number, number[]>();
  for (const cp of parent.keys()) {
    const root = find(cp);
    const list = classes.get(root) ?? [];
    list.push(cp);
    classes.set(root, list);
  }
  const members = new Map<number, number[]>();
  for (const list of classes.values()) {
    for (const cp of list) {
      members.set(cp, list);
    }
  }
  caseTable = { cased: [...members.keys()].sort((a, b) => a - b), members };
  return caseTable;
}

function fold(set: CharSet): CharSet {
  if (
    set.length === 0 ||
    (set.length === 1 && set[0][0] === 0 && set[0][1] === MAX_CODE_POINT)
  ) {
    return set;
  }
  const { cased, members } = getCaseTable();
  const extra: Array<[number, number]> = [];
  for (const cp of cased) {
    if (has(set, cp)) {
      for (const m of members.get(cp)!) {
        if (!has(set, m)) {
          extra.push([m, m]);
        }
      }
    }
  }
  return extra.length ? union(set, extra) : set;
}

// ---------------------------------------------------------------------------
// Syntax tree.

type Node =
  /** Matches exactly one code point from `set`. */
  | { type: 'char'; set: CharSet }
  /** Zero-width: `^`, `$`, `\b`, `\B`. */
  | { type: 'assertion' }
  | { type: 'group'; lookahead: boolean; body: Disjunction }
  | { type: 'repeat'; min: number; max: number; child: Node };
type Sequence = Node[];
type Disjunction = Sequence[];

/** Thrown by the parser for constructs refused outright. */
class Refusal {
  constructor(readonly reason: string) {}
}

const REFUSE_BACKREFERENCE = 'backreferences are not allowed';
const REFUSE_LOOKBEHIND = 'lookbehind assertions are not allowed';
const REFUSE_UNPARSABLE = 'the pattern could not be analysed';

const isDigit = (cp: number | undefined) =>
  cp !== undefined && cp >= 0x30 && cp <= 0x39;
const isHex = (cp: number | undefined) =>
  cp !== undefined &&
  ((cp >= 0x30 && cp <= 0x39) ||
    (cp >= 0x41 && cp <= 0x46) ||
    (cp >= 0x61 && cp <= 0x66));
const ch = (c: string) => c.codePointAt(0)!;

/**
 * A recursive-descent parser over the pattern's code points. The pattern has
 * already compiled with the `u` flag, so the syntax is known to be valid and
 * the parser only needs to recover structure; anything unexpected refuses.
 */
class Parser {
  private readonly cps: number[];
  private pos = 0;

  constructor(pattern: string) {
    this.cps = Array.from(pattern, c => c.codePointAt(0)!);
  }

  parse(): Disjunction {
    const result = this.disjunction();
    if (this.pos !== this.cps.length) {
      throw new Refusal(REFUSE_UNPARSABLE);
    }
    return result;
  }

  private peek(offset = 0): number | undefined {
    return this.cps[this.pos + offset];
  }

  private next(): number {
    const cp = this.cps[this.pos++];
    if (cp === undefined) {
      throw new Refusal(REFUSE_UNPARSABLE);
    }
    return cp;
  }

  private eat(c: string): boolean {
    if (this.peek() === ch(c)) {
      this.pos++;
      return true;
    }
    return false;
  }

  private expect(c: string) {
    if (!this.eat(c)) {
      throw new Refusal(REFUSE_UNPARSABLE);
    }
  }

  private disjunction(): Disjunction {
    const branches = [this.sequence()];
    while (this.eat('|')) {
      branches.push(this.sequence());
    }
    return branches;
  }

  private sequence(): Sequence {
    const items: Sequence = [];
    for (;;) {
      const cp = this.peek();
      if (cp === undefined || cp === ch('|') || cp === ch(')')) {
        return items;
      }
      items.push(this.term());
    }
  }

  private term(): Node {
    const cp = this.next();
    let atom: Node;
    switch (cp) {
      case ch('^'):
      case ch('$'):
        return { type: 'assertion' };
      case ch('('):
        atom = this.group();
        break;
      case ch('.'):
        atom = { type: 'char', set: ANY };
        break;
      case ch('['):
        atom = { type: 'char', set: fold(this.characterClass()) };
        break;
      case ch('\\'): {
        const e = this.peek();
        if (e === ch('b') || e === ch('B')) {
          this.pos++;
          return { type: 'assertion' };
        }
        atom = { type: 'char', set: fold(this.escape(false)) };
        break;
      }
      default:
        atom = { type: 'char', set: fold(single(cp)) };
    }
    if (atom.type === 'group' && atom.lookahead) {
      return atom;
    }
    return this.quantifier(atom);
  }

  private group(): Node {
    let lookahead = false;
    if (this.eat('?')) {
      if (this.eat('=') || this.eat('!')) {
        lookahead = true;
      } else if (this.eat('<')) {
        if (this.peek() === ch('=') || this.peek() === ch('!')) {
          throw new Refusal(REFUSE_LOOKBEHIND);
        }
        // Named capturing group: skip the name.
        while (this.next() !== ch('>')) {
          // skip
        }
      } else {
        // `(?:…)` or a modifiers group such as `(?i:…)` / `(?-i:…)`.
        while (this.next() !== ch(':')) {
          // skip the modifier letters
        }
      }
    }
    const body = this.disjunction();
    this.expect(')');
    return { type: 'group', lookahead, body };
  }

  private quantifier(atom: Node): Node {
    let min: number;
    let max: number;
    const cp = this.peek();
    if (cp === ch('*')) {
      this.pos++;
      [min, max] = [0, Infinity];
    } else if (cp === ch('+')) {
      this.pos++;
      [min, max] = [1, Infinity];
    } else if (cp === ch('?')) {
      this.pos++;
      [min, max] = [0, 1];
    } else if (cp === ch('{') && isDigit(this.peek(1))) {
      this.pos++;
      min = this.number();
      max = min;
      if (this.eat(',')) {
        max = isDigit(this.peek()) ? this.number() : Infinity;
      }
      this.expect('}');
    } else {
      return atom;
    }
    this.eat('?'); // lazy: same analysis
    return { type: 'repeat', min, max, child: atom };
  }

  private number(): number {
    let value = 0;
    while (isDigit(this.peek())) {
      value = Math.min(value * 10 + (this.next() - 0x30), 1e9);
    }
    return value;
  }

  private characterClass(): CharSet {
    const negated = this.eat('^');
    const ranges: CharSet[] = [];
    while (!this.eat(']')) {
      const from = this.classAtom();
      if (
        this.peek() === ch('-') &&
        this.peek(1) !== undefined &&
        this.peek(1) !== ch(']')
      ) {
        this.pos++;
        const to = this.classAtom();
        if (from.length !== 1 || to.length !== 1) {
          throw new Refusal(REFUSE_UNPARSABLE);
        }
        ranges.push([[from[0][0], to[0][1]]]);
      } else {
        ranges.push(from);
      }
    }
    const set = union(...ranges);
    return negated ? complement(set) : set;
  }

  private classAtom(): CharSet {
    const cp = this.next();
    if (cp !== ch('\\')) {
      return single(cp);
    }
    if (this.eat('b')) {
      return single(0x08);
    }
    if (this.eat('-')) {
      return single(ch('-'));
    }
    return this.escape(true);
  }

  /** After a backslash (not `\b`/`\B` outside a class). */
  private escape(inClass: boolean): CharSet {
    const cp = this.next();
    switch (cp) {
      case ch('d'):
        return DIGIT;
      case ch('D'):
        return complement(DIGIT);
      case ch('w'):
        return WORD;
      case ch('W'):
        return complement(WORD);
      case ch('s'):
        return SPACE;
      case ch('S'):
        return complement(SPACE);
      case ch('p'):
      case ch('P'):
        // Unicode property: no tables here, so assume it may match anything.
        this.expect('{');
        while (this.next() !== ch('}')) {
          // skip the property name
        }
        return ANY;
      case ch('k'):
        throw new Refusal(REFUSE_BACKREFERENCE);
      case ch('f'):
        return single(0x0c);
      case ch('n'):
        return single(0x0a);
      case ch('r'):
        return single(0x0d);
      case ch('t'):
        return single(0x09);
      case ch('v'):
        return single(0x0b);
      case ch('c'):
        return single(this.next() % 32);
      case ch('x'):
        return single(this.hex(2));
      case ch('u'):
        return single(this.unicodeEscape());
      default:
        if (cp === ch('0') && !isDigit(this.peek())) {
          return single(0);
        }
        if (isDigit(cp)) {
          if (inClass) {
            throw new Refusal(REFUSE_UNPARSABLE);
          }
          throw new Refusal(REFUSE_BACKREFERENCE);
        }
        // Identity escape of a syntax character (or `/`).
        return single(cp);
    }
  }

  private hex(digits: number): number {
    let value = 0;
    for (let i = 0; i < digits; i++) {
      const cp = this.next();
      if (!isHex(cp)) {
        throw new Refusal(REFUSE_UNPARSABLE);
      }
      value = value * 16 + parseInt(String.fromCodePoint(cp), 16);
    }
    return value;
  }

  private unicodeEscape(): number {
    if (this.eat('{')) {
      let value = 0;
      while (!this.eat('}')) {
        value = value * 16 + this.hex(1);
        if (value > MAX_CODE_POINT) {
          throw new Refusal(REFUSE_UNPARSABLE);
        }
      }
      return value;
    }
    const lead = this.hex(4);
    // `\uD83D\uDE00`: a surrogate pair is one code point with the `u` flag.
    if (
      lead >= 0xd800 &&
      lead <= 0xdbff &&
      this.peek() === ch('\\') &&
      this.peek(1) === ch('u') &&
      isHex(this.peek(2))
    ) {
      const save = this.pos;
      this.pos += 2;
      const trail = this.hex(4);
      if (trail >= 0xdc00 && trail <= 0xdfff) {
        return (lead - 0xd800) * 0x400 + (trail - 0xdc00) + 0x10000;
      }
      this.pos = save;
    }
    return lead;
  }
}

// ---------------------------------------------------------------------------
// Analysis.

type First = { set: CharSet; nullable: boolean };

function firstOfNode(node: Node): First {
  switch (node.type) {
    case 'char':
      return { set: node.set, nullable: false };
    case 'assertion':
      return { set: EMPTY, nullable: true };
    case 'group':
      return node.lookahead
        ? { set: EMPTY, nullable: true }
        : firstOfDisjunction(node.body);
    case 'repeat': {
      if (node.max === 0) {
        return { set: EMPTY, nullable: true };
      }
      const first = firstOfNode(node.child);
      return { set: first.set, nullable: first.nullable || node.min === 0 };
    }
    default:
      return { set: ANY, nullable: true };
  }
}

function firstOfSequence(seq: Sequence): First {
  const sets: CharSet[] = [];
  for (const node of seq) {
    const first = firstOfNode(node);
    sets.push(first.set);
    if (!first.nullable) {
      return { set: union(...sets), nullable: false };
    }
  }
  return { set: union(...sets), nullable: true };
}

function firstOfDisjunction(d: Disjunction): First {
  const firsts = d.map(firstOfSequence);
  return {
    set: union(...firsts.map(f => f.set)),
    nullable: firsts.some(f => f.nullable),
  };
}

/** Whether two branches of the alternation can start the same way. */
function isAmbiguousAlternation(d: Disjunction): boolean {
  if (d.length < 2) {
    return false;
  }
  const firsts = d.map(firstOfSequence);
  if (firsts.some(f => f.nullable)) {
    return true;
  }
  for (let i = 0; i < firsts.length; i++) {
    for (let j = i + 1; j < firsts.length; j++) {
      if (intersects(firsts[i].set, firsts[j].set)) {
        return true;
      }
    }
  }
  return false;
}

function someNode(d: Disjunction, pred: (node: Node) => boolean): boolean {
  const visit = (node: Node): boolean => {
    if (pred(node)) {
      return true;
    }
    if (node.type === 'group') {
      return someNode(node.body, pred);
    }
    if (node.type === 'repeat') {
      return visit(node.child);
    }
    return false;
  };
  return d.some(seq => seq.some(visit));
}

const isVariableRepeat = (node: Node) =>
  node.type === 'repeat' && node.min !== node.max;
const hasAmbiguousAlternation = (node: Node) =>
  node.type === 'group' && isAmbiguousAlternation(node.body);

/**
 * Exponential cases: what a repeated (max > 1) group may contain, and how
 * many ambiguous alternations outside repeated groups multiply to.
 */
function checkRepeats(root: Disjunction): string | undefined {
  let alternationWays = isAmbiguousAlternation(root) ? root.length : 1;
  let reason: string | undefined;

  const visit = (node: Node, inRepeat: boolean): void => {
    if (reason) {
      return;
    }
    if (node.type === 'group') {
      if (!inRepeat && isAmbiguousAlternation(node.body)) {
        alternationWays *= node.body.length;
      }
      node.body.forEach(seq => seq.forEach(n => visit(n, inRepeat)));
    } else if (node.type === 'repeat') {
      const repeated = node.max > 1;
      const child = node.child;
      if (repeated && child.type === 'group') {
        if (someNode(child.body, isVariableRepeat)) {
          reason =
            'nested quantifier: a repeated group contains a variable-length quantifier, as in (a+)+';
          return;
        }
        if (
          isAmbiguousAlternation(child.body) ||
          someNode(child.body, hasAmbiguousAlternation)
        ) {
          reason =
            'a repeated group contains an alternation whose branches can start with the same character, as in (a|ab)*';
          return;
        }
        if (firstOfDisjunction(child.body).nullable) {
          reason = 'a repeated group can match the empty string';
          return;
        }
      }
      visit(child, inRepeat || repeated);
    }
  };
  root.forEach(seq => seq.forEach(n => visit(n, false)));
  if (!reason && alternationWays > MAX_AMBIGUOUS_ALTERNATIONS) {
    reason =
      'too many alternations whose branches can start with the same character';
  }
  return reason;
}

/**
 * Polynomial cases: a chain of variable-length quantifiers that can trade
 * characters with one another (`.*.*.*.*x`, `\w*\w*\w*\w*`). Walks the
 * pattern left to right keeping the quantifiers whose extent is still
 * undetermined ("live"); a mandatory character outside a live quantifier's
 * set pins it. A new quantifier overlapping a live one of depth k has depth
 * k + 1; the deepest chain is the degree of the backtracking polynomial.
 */
type Live = { set: CharSet; depth: number };
type ChainState = { live: Live[]; carry: number };

function chainDepth(root: Disjunction): number {
  let deepest = 0;

  /** Depth of a new quantifier over `set` that follows `state`. */
  const depthAfter = (state: ChainState, set: CharSet): number => {
    let depth = state.carry;
    for (const e of state.live) {
      if (e.depth > depth && intersects(e.set, set)) {
        depth = e.depth;
      }
    }
    deepest = Math.max(deepest, depth + 1);
    return depth + 1;
  };

  const pin = (state: ChainState, set: CharSet): ChainState => {
    const live: Live[] = [];
    let carry = state.carry;
    for (const e of state.live) {
      if (intersects(e.set, set)) {
        live.push(e);
      } else {
        carry = Math.max(carry, e.depth - 1);
      }
    }
    return { live, carry };
  };

  const merge = (states: ChainState[]): ChainState => ({
    live: [...new Set(states.flatMap(s => s.live))],
    carry: Math.max(...states.map(s => s.carry)),
  });

  function node(n: Node, state: ChainState): ChainState {
    switch (n.type) {
      case 'char':
        return pin(state, n.set);
      case 'assertion':
        return state;
      case 'group':
        if (n.lookahead) {
          disjunction(n.body, state);
          return state;
        }
        return disjunction(n.body, state);
      case 'repeat': {
        if (n.max === 0) {
          return state;
        }
        if (n.min === n.max) {
          return node(n.child, state);
        }
        // Variable length. The quantifier can trade characters with the
        // live quantifiers its first character overlaps. A group child is
        // walked inline: an optional group may hold quantifiers of its own,
        // and a repeated one only fixed-size parts (see checkRepeats), whose
        // mandatory characters pin what comes before.
        const first = firstOfNode(n.child);
        const depth = depthAfter(state, first.set);
        let after: ChainState;
        if (n.child.type === 'char') {
          after = n.min > 0 ? pin(state, first.set) : state;
        } else {
          after = node(n.child, state);
        }
        const taken: ChainState = {
          live: [...after.live, { set: first.set, depth }],
          carry: after.carry,
        };
        return n.min > 0 ? taken : merge([state, taken]);
      }
      default:
        return state;
    }
  }

  function sequence(seq: Sequence, state: ChainState): ChainState {
    return seq.reduce((acc, n) => node(n, acc), state);
  }

  function disjunction(d: Disjunction, state: ChainState): ChainState {
    return d.length === 1
      ? sequence(d[0], state)
      : merge(d.map(seq => sequence(seq, state)));
  }

  disjunction(root, { live: [], carry: 0 });
  return deepest;
}

/**
 * Checks that a regular-expression flag pattern is safe to run against
 * submissions: at most {@link MAX_FLAG_PATTERN_LENGTH} characters, compiles
 * with the `u` flag, and has no construct that backtracks catastrophically —
 * nested quantifiers (`(a+)+`, `(a*)*`, `(.*a){10}`, `(\w+\s?)+`), repeated
 * groups with overlapping alternation (`(a|a)*`, `(a|ab)*`), repeated groups
 * that can match the empty string, long chains of overlapping quantifiers
 * (`.*.*.*.*`), backreferences and lookbehind. Case-insensitive matching is
 * assumed, so the result holds with and without the `i` flag.
 *
 * The analysis assumes the pattern is matched against the whole submission,
 * as {@link regexFlagMatches} does.
 *
 * @public
 */
export function checkRegexFlagPattern(pattern: string): RegexFlagPatternCheck {
  if (typeof pattern !== 'string' || pattern.length === 0) {
    return { ok: false, reason: 'the pattern is empty' };
  }
  if (pattern.length > MAX_FLAG_PATTERN_LENGTH) {
    return {
      ok: false,
      reason: `the pattern is longer than ${MAX_FLAG_PATTERN_LENGTH} characters`,
    };
  }
  let anchored: RegExp;
  try {
    // Compile it alone first, so that `a)|(b` cannot pass as a fragment of
    // the anchored form.
    RegExp(pattern, 'u');
    anchored = new RegExp(`^(?:${pattern})$`, 'u');
  } catch (error) {
    return {
      ok: false,
      reason: `the pattern does not compile with the u flag: ${
        (error as Error).message
      }`,
    };
  }
  try {
    const tree = new Parser(pattern).parse();
    const reason = checkRepeats(tree);
    if (reason) {
      return { ok: false, reason };
    }
    if (chainDepth(tree) > MAX_QUANTIFIER_CHAIN) {
      return {
        ok: false,
        reason:
          'too many overlapping variable-length quantifiers in a row, as in .*.*.*.*',
      };
    }
  } catch (error) {
    if (error instanceof Refusal) {
      return { ok: false, reason: error.reason };
    }
    return { ok: false, reason: REFUSE_UNPARSABLE };
  }
  // Safe to run now. An empty submission is never a flag.
  if (anchored.test('')) {
    return { ok: false, reason: 'the pattern matches an empty submission' };
  }
  return { ok: true };
}

const MATCHER_CACHE_SIZE = 512;
const matchers = new Map<string, RegExp | null>();

function matcher(pattern: string, caseInsensitive: boolean): RegExp | null {
  const key = `${caseInsensitive ? 'i' : '-'}${pattern}`;
  let re = matchers.get(key);
  if (re === undefined) {
    re = checkRegexFlagPattern(pattern).ok
      ? new RegExp(`^(?:${pattern})$`, caseInsensitive ? 'iu' : 'u')
      : null;
    if (matchers.size >= MATCHER_CACHE_SIZE) {
      matchers.clear();
    }
    matchers.set(key, re);
  }
  return re;
}

/**
 * Whether `submission` matches the regex flag `pattern` as a whole
 * (`^(?:pattern)$`, flags `u`, plus `i` when `caseInsensitive`). False for
 * submissions longer than {@link MAX_FLAG_SUBMISSION_LENGTH} and for patterns
 * {@link checkRegexFlagPattern} refuses.
 *
 * @public
 */
export function regexFlagMatches(
  pattern: string,
  caseInsensitive: boolean | undefined,
  submission: string,
): boolean {
  if (
    typeof submission !== 'string' ||
    submission.length > MAX_FLAG_SUBMISSION_LENGTH
  ) {
    return false;
  }
  const re = matcher(pattern, caseInsensitive === true);
  return re !== null && re.test(submission);
}
