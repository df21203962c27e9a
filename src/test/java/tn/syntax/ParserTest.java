package tn.syntax;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;
import tn.ast.Expr;
import tn.ast.LegSpec;
import tn.ast.Stmt;
import tn.diag.Diagnostics;
import tn.diag.Source;

/** How text becomes AST: precedence, juxtaposition, calls, spans. */
class ParserTest {
    private static Expr expr(String text) {
        Diagnostics d = new Diagnostics();
        List<Stmt> p = TnParserFacade.parse(new Source("t.tn", text), d);
        assertNotNull(p, d.format());
        return ((Stmt.ExprStmt) p.get(0)).expr();
    }

    @Test
    void minusBetweenFactorsIsASubtraction() {
        Expr.Sum s = assertInstanceOf(Expr.Sum.class, expr("A - B"));
        assertEquals(2, s.terms().size());
        assertEquals(false, s.terms().get(0).negated());
        assertEquals(true, s.terms().get(1).negated());
    }

    @Test
    void juxtapositionIsAProductAndBindsTighterThanPlus() {
        Expr.Sum s = assertInstanceOf(Expr.Sum.class, expr("A B + C"));
        assertInstanceOf(Expr.Product.class, s.terms().get(0).value());
    }

    @Test
    void aSpaceBeforeTheParenthesisMakesAProductNotACall() {
        assertInstanceOf(Expr.Call.class, expr("f(x)"));
        Expr.Product p = assertInstanceOf(Expr.Product.class, expr("A (B + C)"));
        assertEquals(2, p.factors().size());
    }

    @Test
    void arrowAppliesToTheWholeProduct() {
        Expr.Output o = assertInstanceOf(Expr.Output.class, expr("A[i,j] B[j,k] -> [k, i]"));
        assertInstanceOf(Expr.Product.class, o.target());
        assertEquals(2, o.legs().size());
    }

    @Test
    void legListsHaveRenamesGroupsAndNamedGroups() {
        Expr.Relabel r = assertInstanceOf(Expr.Relabel.class, expr("x[i -> a]"));
        assertInstanceOf(LegSpec.Rename.class, r.legs().get(0));
        Expr.Output o = assertInstanceOf(Expr.Output.class, expr("x -> [m=(i k), (a b)]"));
        LegSpec.Group named = (LegSpec.Group) o.legs().get(0);
        assertEquals("m", named.groupName());
        assertEquals("a_b", ((LegSpec.Group) o.legs().get(1)).groupName());
    }

    @Test
    void divisionAppliesToWhatIsOnItsLeft() {
        Expr.Binary b = assertInstanceOf(Expr.Binary.class, expr("a b / 2"));
        assertEquals(Expr.Op.DIV, b.op());
        assertInstanceOf(Expr.Product.class, b.left());
    }

    @Test
    void lineBreaksInsideBracketsDoNotEndAStatement() {
        Diagnostics d = new Diagnostics();
        List<Stmt> p = TnParserFacade.parse(new Source("t.tn", "x = f(a,\n  b)\ny = [1,\n 2]\n"), d);
        assertNotNull(p, d.format());
        assertEquals(2, p.size());
    }

    @Test
    void spansPointAtTheText() {
        Expr e = expr("  relu(W x)");
        assertEquals(1, e.span().line());
        assertEquals(3, e.span().column());
        assertEquals("relu(W x)", e.span().text());
    }

    @Test
    void syntaxErrorsAreCollectedNotThrown() {
        Diagnostics d = new Diagnostics();
        assertNull(TnParserFacade.parse(new Source("t.tn", "x = (\ny = 2 2 2)\n"), d));
        assertEquals("t.tn", d.all().get(0).span().source().name());
    }
}
