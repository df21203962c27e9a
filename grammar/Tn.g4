/*
 * The tn language: tensor network diagrams as programs.
 *
 * Statements end at a line break (or ';'); inside ( ) and [ ] line breaks are ignored, so long
 * expressions can be wrapped. A name written directly before '(' is a call (`relu(x)`); with a
 * space it is a juxtaposition (`A (B + C)` is the product of A and B + C).
 *
 * The parse tree is turned into tn's own AST by tn.syntax.AstBuilder; nothing else sees it.
 */
grammar Tn;

// The base class counts nesting levels as rules are entered, so that a deeply nested script
// gets a located error before the parser's recursion can overflow the stack.
options { superClass = tn.syntax.NestingParser; }

@header { package tn.syntax.gen; }

@lexer::members {
    /** Depth of open ( and [: line breaks inside them do not end a statement. */
    private int nesting = 0;
}

program   : sep* (statement (sep+ statement)*)? sep* EOF ;
sep       : NL | ';' ;
block     : '{' sep* (statement (sep+ statement)*)? sep* '}' ;

statement
    : 'leg' legDecl (',' legDecl)*                               # legStmt
    | 'set' NAME '=' expr                                        # setStmt
    | 'import' (STRING | NAME)                                   # importStmt
    | 'def' CALL (param (',' param)*)? ')' ('=' expr | block)    # defStmt
    | 'return' expr (',' expr)*                                  # returnStmt
    | 'assert' expr (',' STRING)?                                # assertStmt
    // `in` is a plain name (it is also a common leg name); the builder checks it is there.
    | 'for' NAME NAME expr block                                 # forStmt
    | 'if' expr block (sep* 'else' (block | ifTail))?            # ifStmt
    | NAME '[' legSpecs? ']' '=' expr                            # indexedAssignStmt
    | NAME (',' NAME)* '=' expr                                  # assignStmt
    | expr                                                       # exprStmt
    ;

ifTail    : 'if' expr block (sep* 'else' (block | ifTail))? ;
// `leg b[n] = size`: a family of n legs b[0] .. b[n-1], each of that size (docs/language.md).
legDecl   : NAME ('[' expr ']')? '=' expr ;
param     : NAME ('=' expr)? ;

expr      : orExpr ;
orExpr    : andExpr ('or' andExpr)* ;
andExpr   : notExpr ('and' notExpr)* ;
notExpr   : 'not' notExpr | comparison ;
comparison: sum (op=('<' | '<=' | '>' | '>=' | '==' | '!=') sum)? ;
sum       : arrow (op+=('+' | '-') arrow)* ;
arrow     : elementwise ('->' '[' legSpecs? ']')? ;
// `.*` is the elementwise (Hadamard) product: shared legs are kept, not summed. It binds looser
// than contraction, so `A x .* B y` is (A x) .* (B y).
elementwise : product ('.*' product)* ;
// Juxtaposed factors cannot start with '-', so `A - B` is a difference, not A times -B; nor
// with '[', so `x[i]` is always x with legs named (a leg list or a literal array is never a
// factor), and the parser decides each '[' with one token of lookahead.
product   : unary (mulOp unary | juxtaposed)* ;
mulOp     : '*' | '/' ;
unary     : '-' unary                                            # negate
          | postfix ('^' unary)?                                 # power
          ;
postfix   : primary suffix* ;
juxtaposed: atom suffix* ;
suffix    : '[' legSpecs? ']'                                    # index
          // Only a leg family takes an index computed by arithmetic: `b[k + 1]`.
          | '[' indexExpr ']'                                    # subscript
          | '.' NAME                                             # member
          ;

primary
    : atom                                                       # atomic
    | '[' NAME (',' NAME)* ']'                                   # legList
    | array                                                      # arrayLiteral
    ;

atom
    : NUMBER                                                     # number
    | IMAGINARY                                                  # imaginary
    | STRING                                                     # string
    | ('true' | 'false')                                         # bool
    | NAME                                                       # name
    | CALL (arg (',' arg)*)? ')'                                 # call
    | '(' expr ')'                                               # paren
    ;

arg       : (NAME '=')? expr ;
array     : '[' (element (',' element)*)? ']' ;
element   : array | '-'? NUMBER ;

legSpecs  : legSpec (',' legSpec)* ;
legSpec
    : NAME '->' NAME                                             # legRename
    | legRef '->' legRef                                         # legRenameMember
    | (NAME '=')? '(' NAME+ ')'                                  # legGroup
    | NAME '[' indexExpr ']'                                     # legMember
    | NAME                                                       # legName
    // Not tn (legs are named, not numbered): parsed so that the error can name the legs.
    | '-'? NUMBER                                                # legNumber
    ;
legRef    : NAME ('[' indexExpr ']')? ;
// The index of a family member: arithmetic of names (with fields: `P.L`), numbers and calls
// (`len(r)`), without brackets, so that the parser tells `b[k]` (a member) from `x[i]` (legs
// named) with a few tokens of lookahead.
indexExpr : indexTerm (op+=('+' | '-') indexTerm)* ;
indexTerm : indexAtom (op+=('*' | '/') indexAtom)* ;
indexAtom : head=NAME ('.' fields+=NAME)* | NUMBER | CALL (arg (',' arg)*)? ')' | '(' indexExpr ')' | '-' indexAtom ;

// ---- lexer ------------------------------------------------------------------------------

CALL      : NAME_START NAME_PART* '(' { nesting++; } ;
NAME      : NAME_START NAME_PART* ;
// An imaginary literal as in Python: 2j, 0.5j, 1e-3j (the j right after the number, not
// followed by a name character, so `2 j` and `2jk` stay products with the names j and jk).
IMAGINARY : (DIGITS ('.' DIGITS?)? EXPONENT? | '.' DIGITS EXPONENT?) [jJ] { !Character.isLetterOrDigit(_input.LA(1)) && _input.LA(1) != '_' && _input.LA(1) != '\'' }? ;
NUMBER    : DIGITS ('.' DIGITS?)? EXPONENT? | '.' DIGITS EXPONENT? ;
STRING    : '"' (~["\\\r\n] | '\\' .)* '"' ;

LPAREN    : '(' { nesting++; } ;
RPAREN    : ')' { if (nesting > 0) nesting--; } ;
LBRACK    : '[' { nesting++; } ;
RBRACK    : ']' { if (nesting > 0) nesting--; } ;

NL        : '\r'? '\n' { if (nesting > 0) skip(); } ;
CONTINUE  : '\\' [ \t]* '\r'? '\n' -> skip ;
WS        : [ \t\f]+ -> skip ;
COMMENT   : '#' ~[\r\n]* -> skip ;
ERRCHAR   : . ;

fragment NAME_START : [a-zA-Z_] | [\p{L}] ;
fragment NAME_PART  : [a-zA-Z_0-9'] | [\p{L}] | [\p{N}] ;
fragment DIGITS     : [0-9]+ ;
fragment EXPONENT   : [eE] [+-]? DIGITS ;
