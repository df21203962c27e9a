package tn.syntax;

import java.util.BitSet;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.TokenStream;
import tn.syntax.gen.TnParser;

/**
 * The base class of the generated parser (grammar/Tn.g4 names it): counts the nesting levels open
 * while rules are entered and stops with {@link Nesting.TooDeep} at the first level beyond
 * {@link Nesting#MAX_LEVELS}, before the parser's recursion (about a dozen Java frames a level)
 * can overflow the stack. A level is what nests in the grammar: an expression in parentheses or
 * a call's argument, a prefix - or not, the exponent of ^, an inner array literal, a block, an
 * else-if.
 */
public abstract class NestingParser extends Parser {
    private int levels;
    private int invocations;
    /** Whether the rule invocation at each depth opened a level. */
    private final BitSet opened = new BitSet();

    protected NestingParser(TokenStream input) {
        super(input);
    }

    @Override
    public void enterRule(ParserRuleContext localctx, int state, int ruleIndex) {
        boolean opens = opensLevel(localctx.getParent(), ruleIndex);
        if (opens && levels >= Nesting.MAX_LEVELS) throw new Nesting.TooDeep(getCurrentToken());
        opened.set(invocations++, opens);
        if (opens) levels++;
        super.enterRule(localctx, state, ruleIndex);
    }

    @Override
    public void exitRule() {
        if (opened.get(--invocations)) levels--;
        super.exitRule();
    }

    /** Whether entering {@code rule} from {@code parent} goes one level deeper. */
    private static boolean opensLevel(ParserRuleContext parent, int rule) {
        return switch (rule) {
            case TnParser.RULE_expr -> parent instanceof TnParser.ParenContext || parent instanceof TnParser.ArgContext;
            case TnParser.RULE_notExpr -> parent instanceof TnParser.NotExprContext;
            case TnParser.RULE_unary -> parent instanceof TnParser.UnaryContext;
            case TnParser.RULE_array -> parent instanceof TnParser.ElementContext;
            case TnParser.RULE_block, TnParser.RULE_ifTail -> true;
            default -> false;
        };
    }
}
