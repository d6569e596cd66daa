#!/usr/bin/env python3
"""Lengths of SymPy's unsimplified derivatives of the definitions of .act files.

usage: python3 tools/sympy_lengths.py FILE.act... [--actjit PATH]

Prints `NAME VAR LENGTH` per definition (file order) and per variable, inputs then
`learn` parameters (the order of `actjit diff`): LENGTH is len(str(sympy.diff(body,
var))) without white space; nothing is simplified. With --actjit, runs `PATH diff FILE
NAME` instead and prints a Markdown table of both lengths, ratio = actjit / SymPy.

Translation: inputs and parameters are real Symbols; `c ? a : b` is Piecewise((a, c),
(b, True)); max/min are Max/Min, clamp is Min(Max(x, lo), hi); expm1(u) = exp(u) - 1,
log1p(u) = log(1 + u); uniform(lo, hi) is a fresh Symbol; lets and calls are inlined
(shared subterms print every time); integral literals are Integer, others Float.
"""
import argparse
import re
import statistics
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import sympy as sp

# ---------------------------------------------------------------- tokens
TOKEN = re.compile(r'''(?P<ws>\s+|\#[^\n]*) | (?P<num>(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?)
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*) | (?P<str>"[^"\n]*")
  | (?P<op>\|\||&&|<=|>=|==|!=|[-+*/^!<>?:(),;=]) | (?P<bad>.)''', re.VERBOSE | re.DOTALL)
KEYWORDS = {'let', 'in', 'learn', 'use'}


def tokenize(text, path):
    """[(kind, text)] ending with ('eof', ''); white space and comments dropped."""
    toks = [(m.lastgroup, m.group()) for m in TOKEN.finditer(text.lstrip('\ufeff'))]
    for kind, v in toks:
        if kind == 'bad':
            sys.exit(f'{path}: unexpected character {v!r}')
    return [t for t in toks if t[0] != 'ws'] + [('eof', '')]


# ---------------------------------------------------------------- parser -> AST tuples
# ('num', text) ('name', n) ('un', op, a) ('bin', op, a, b) ('cond', c, a, b)
# ('let', [(n, e)], body) ('call', n, [args], [(param, e)])
class Parser:
    LEVELS = [('||',), ('&&',), ('<', '<=', '>', '>=', '==', '!='), ('+', '-'), ('*', '/')]

    def __init__(self, toks, path):
        self.t, self.i, self.path = toks, 0, path

    def error(self, what):
        sys.exit(f'{self.path}: expected {what}, got {self.t[self.i][1]!r} (token {self.i})')

    def accept(self, *vals):          # consume the next token if it is one of vals
        kind, v = self.t[self.i]
        if kind in ('op', 'name') and v in vals:
            self.i += 1
            return v
        return None

    def expect(self, val):
        self.accept(val) or self.error(repr(val))

    def name(self):
        kind, v = self.t[self.i]
        if kind != 'name' or v in KEYWORDS:
            self.error('a name')
        self.i += 1
        return v

    def commas(self, item):           # item { "," item }
        items = [item()]
        while self.accept(','):
            items.append(item())
        return items

    def file(self):
        uses, defs = [], []
        while self.t[self.i][0] != 'eof':
            if self.accept('use'):
                kind, v = self.t[self.i]
                self.i += 1
                uses.append('std' if v == 'std' else v[1:-1])
            else:
                defs.append(self.definition())
        return uses, defs

    def param(self):                  # [ "learn" ] name [ "=" expr ]
        learn = bool(self.accept('learn'))
        name = self.name()
        return name, learn, (self.expr() if self.accept('=') else None)

    def definition(self):
        name = self.name()
        self.expect('(')
        inputs = self.commas(self.name)
        params = self.commas(self.param) if self.accept(';') else []
        self.expect(')'); self.expect('=')
        return name, inputs, params, self.expr()

    def binding(self):                # name "=" expr
        n = self.name(); self.expect('=')
        return n, self.expr()

    def expr(self):
        if self.accept('let'):
            binds = self.commas(self.binding)
            self.expect('in')
            return ('let', binds, self.expr())
        c = self.binary(0)
        if self.accept('?'):          # right-associative
            a = self.expr(); self.expect(':')
            return ('cond', c, a, self.expr())
        return c

    def binary(self, lvl):            # LEVELS loosest first; comparisons not chainable
        if lvl == len(self.LEVELS):
            return self.unary()
        left = self.binary(lvl + 1)
        while (op := self.accept(*self.LEVELS[lvl])):
            left = ('bin', op, left, self.binary(lvl + 1))
            if lvl == 2:
                break
        return left

    def unary(self):
        if (op := self.accept('-', '+', '!')):
            return ('un', op, self.unary())
        base = self.atom()            # power: right-assoc, and -x^2 = -(x^2)
        return ('bin', '^', base, self.unary()) if self.accept('^') else base

    def atom(self):
        kind, v = self.t[self.i]
        if kind == 'num':
            self.i += 1
            return ('num', v)
        if self.accept('('):
            e = self.expr(); self.expect(')')
            return e
        n = self.name()
        if not self.accept('('):
            return ('name', n)
        args = [] if self.t[self.i][1] in (')', ';') else self.commas(self.expr)
        named = self.commas(self.binding) if self.accept(';') else []
        self.expect(')')
        return ('call', n, args, named)


# ---------------------------------------------------------------- AST -> SymPy
CONSTANTS = {'pi': sp.pi, 'inf': sp.oo, 'nan': sp.nan}
FUNCS = {  # name -> (arity, or -2 for "two or more"; translation)
    **{n: (1, getattr(sp, n)) for n in
       ('exp', 'log', 'sqrt', 'tanh', 'erf', 'erfc', 'sin', 'cos', 'atan', 'sinh', 'cosh', 'asinh', 'sign')},
    'abs': (1, sp.Abs), 'expm1': (1, lambda u: sp.exp(u) - 1), 'log1p': (1, lambda u: sp.log(1 + u)),
    'pow': (2, sp.Pow), 'max': (-2, sp.Max), 'min': (-2, sp.Min),
    'clamp': (3, lambda x, lo, hi: sp.Min(sp.Max(x, lo), hi))}
BINOP = {'+': sp.Add, '-': lambda a, b: a - b, '*': sp.Mul, '/': lambda a, b: a / b,
         '^': sp.Pow, '&&': sp.And, '||': sp.Or, '<': sp.Lt, '<=': sp.Le, '>': sp.Gt,
         '>=': sp.Ge, '==': sp.Eq, '!=': sp.Ne}
UNOP = {'-': lambda a: -a, '+': lambda a: a, '!': sp.Not}


def number(text):
    value = Fraction(text)            # exact decimal value of the literal
    return sp.Integer(int(value)) if value.denominator == 1 else sp.Float(text)


class Translator:
    def __init__(self, defs):
        self.defs = defs              # name -> (inputs, params, body), used files included
        self.stack = []               # definitions being inlined, to catch recursion
        self.draws = {}               # uniform(...) spellings already used

    def tr(self, node, env):
        kind, rest = node[0], node[1:]
        if kind == 'num':
            return number(rest[0])
        if kind == 'name':            # let names, inputs and parameters, then constants
            if rest[0] in env or rest[0] in CONSTANTS:
                return env.get(rest[0], CONSTANTS.get(rest[0]))
            raise ValueError(f'unknown name {rest[0]!r}')
        if kind == 'un':
            return UNOP[rest[0]](self.tr(rest[1], env))
        if kind == 'bin':
            return BINOP[rest[0]](self.tr(rest[1], env), self.tr(rest[2], env))
        if kind == 'cond':
            c, a, b = (self.tr(k, env) for k in rest)
            return sp.Piecewise((a, c), (b, True))
        if kind == 'let':
            env = dict(env)
            for n, e in rest[0]:
                env[n] = self.tr(e, env)      # each binding sees the earlier ones
            return self.tr(rest[1], env)
        n, args, named = rest[0], [self.tr(a, env) for a in rest[1]], rest[2]
        if n in self.defs:
            return self.inline(n, args, {p: self.tr(e, env) for p, e in named})
        arity, f = FUNCS.get(n, (None, None))
        if n in FUNCS and (len(args) == arity or (arity == -2 and len(args) >= 2)):
            return f(*args)
        if n == 'uniform' and len(args) == 2:
            # A fresh symbol (derivative 0), named like the call so it prints as actjit does.
            spell = f'uniform({args[0]},{args[1]})'.replace(' ', '')
            k = self.draws[spell] = self.draws.get(spell, 0) + 1
            return sp.Symbol(spell if k == 1 else f'{spell}#{k}', real=True)
        raise ValueError(f'unknown function {n!r} with {len(args)} arguments')

    def inline(self, n, args, given):
        """Body of definition n, inputs by position, parameters by name or default."""
        inputs, params, body = self.defs[n]
        if n in self.stack:
            raise ValueError('recursion: ' + ' -> '.join(self.stack + [n]))
        if len(args) != len(inputs):
            raise ValueError(f'{n} takes {len(inputs)} inputs, given {len(args)}')
        local = dict(zip(inputs, args))
        for p, _learn, default in params:
            if p not in given and default is None:
                raise ValueError(f'{n}: parameter {p!r} has no default')
            local[p] = given.pop(p) if p in given else self.tr(default, {})
        if given:
            raise ValueError(f'{n}: unknown parameters {sorted(given)}')
        self.stack.append(n)
        try:
            return self.tr(body, local)
        finally:
            self.stack.pop()


# ---------------------------------------------------------------- files and lengths
STD = Path(__file__).resolve().parent.parent / 'examples' / 'activations.act'


def load(path, seen=()):
    """(own definitions in order, all callable definitions) of a file, `use` followed."""
    path = Path(path).resolve()
    if path in seen:
        sys.exit(f'{path}: cycle of use')
    uses, own = Parser(tokenize(path.read_text(encoding='utf-8'), path), path).file()
    callable_ = {}
    for u in uses:
        callable_.update(load(STD if u == 'std' else path.parent / u, seen + (path,))[1])
    callable_.update({d[0]: d[1:] for d in own})   # own definitions take precedence
    return own, callable_


def length(s):
    return len(re.sub(r'\s+', '', s))


def sympy_lengths(path):
    """[(name, var, length)] for one file, in file and `actjit diff` order."""
    own, defs = load(path)
    rows = []
    for name, inputs, params, body in own:
        syms = {v: sp.Symbol(v, real=True) for v in inputs + [p[0] for p in params]}
        try:
            tr = Translator(defs)
            tr.stack.append(name)
            expr = tr.tr(body, syms)
        except ValueError as e:
            sys.exit(f'{path}: {name}: {e}')
        for var in inputs + [p[0] for p in params if p[1]]:
            rows.append((name, var, length(str(sp.diff(expr, syms[var])))))
    return rows


def actjit_lengths(actjit, path, name):
    """{var: length of EXPR} from the lines `d/dVAR = EXPR` of `actjit diff`."""
    out = subprocess.run([actjit, 'diff', str(path), name], capture_output=True, text=True)
    found = (re.match(r'd/d(\w+) = (.*)$', line) for line in out.stdout.splitlines())
    return {m.group(1): length(m.group(2)) for m in found if m}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('files', nargs='+', metavar='FILE.act')
    ap.add_argument('--actjit', metavar='PATH', help='compare with PATH diff: a Markdown table')
    opt = ap.parse_args()
    if not opt.actjit:
        for f in opt.files:
            for name, var, n in sympy_lengths(f):
                print(name, var, n)
        return
    print('| definition | d/dVAR | actjit length | SymPy length | ratio |')
    print('|---|---|---:|---:|---:|')
    ratios = []
    for f in opt.files:
        cache = {}
        for name, var, n in sympy_lengths(f):
            if name not in cache:
                cache[name] = actjit_lengths(opt.actjit, f, name)
            a = cache[name].get(var)
            if a is None:             # actjit failed, or printed no such derivative
                print(f'| {name} | d/d{var} | (none) | {n} | |')
                continue
            ratios.append((a / n, f'{name} d/d{var}'))
            print(f'| {name} | d/d{var} | {a} | {n} | {a / n:.2f} |')
    if ratios:
        med, worst = statistics.median(r for r, _ in ratios), max(ratios)
        print(f'| **median / max** | | | | {med:.2f} / {worst[0]:.2f} ({worst[1]}) |')


if __name__ == '__main__':
    main()
