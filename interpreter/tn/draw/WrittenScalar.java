package tn.draw;

import tn.net.Net;

/**
 * A product's scale factor as the script wrote it ({@code scores / sqrt(768)} is drawn with
 * {@code 1/sqrt(768)}, not {@code 0.03608}): the product's source text split at its top-level
 * {@code *} and {@code /}, one operand a constant expression (numbers, + − * / ^, parentheses,
 * sqrt, exp, log, abs, pi) whose value, or its reciprocal after a {@code /}, is the factor. The
 * operand is evaluated here in double precision and must agree with the factor to 1e-12 (relative),
 * so a text is only shown when it is the factor; otherwise (a factor from a variable, from several
 * operands, or computed elsewhere) there is none and the number is shown.
 */
final class WrittenScalar {
    private WrittenScalar() {}

    /** The factor of {@code p} as written, or null. */
    static String of(Net.Product p) {
        if (p.span() == null || p.coefficient() == 1) return null;
        String text = p.span().text().strip();
        java.util.List<String> operands = new java.util.ArrayList<>();
        java.util.List<Character> ops = new java.util.ArrayList<>();
        int depth = 0, start = 0;
        for (int k = 0; k < text.length(); k++) {
            char c = text.charAt(k);
            if (c == '(' || c == '[' || c == '{') depth++;
            else if (c == ')' || c == ']' || c == '}') depth--;
            else if (c == '"') return null;
            else if (depth == 0 && (c == '*' || c == '/') && !(c == '*' && k + 1 < text.length() && text.charAt(k + 1) == '*')) {
                operands.add(text.substring(start, k).strip());
                ops.add(c);
                start = k + 1;
            }
        }
        operands.add(text.substring(start).strip());
        if (operands.size() < 2) return null;
        String found = null;
        for (int k = 0; k < operands.size(); k++) {
            Double v = value(operands.get(k));
            if (v == null) continue;
            if (found != null) return null; // two constant operands: their product is not as written
            boolean divides = k > 0 && ops.get(k - 1) == '/';
            double factor = divides ? 1 / v : v;
            if (!(Math.abs(factor - p.coefficient()) <= 1e-12 * Math.abs(p.coefficient()))) return null;
            String o = operands.get(k).replaceAll("\\s+", "");
            found = divides ? "1/" + (simple(o) ? o : "(" + o + ")") : o;
        }
        return found;
    }

    /** A written factor without its sign (the sum in front of it shows the sign), or null when it has no plain one. */
    static String magnitude(String written) {
        if (written == null) return null;
        if (!written.startsWith("-")) return written;
        String rest = written.substring(1);
        return simple(rest) ? rest : null;
    }

    /** Whether 1/o reads right without parentheses: a number, a call, a power or a parenthesised expression. */
    private static boolean simple(String o) {
        int depth = 0;
        for (char c : o.toCharArray()) {
            if (c == '(') depth++;
            else if (c == ')') depth--;
            else if (depth == 0 && (c == '+' || c == '-' || c == '*' || c == '/')) return false;
        }
        return true;
    }

    /** The value of a constant expression, or null when it is not one. */
    static Double value(String s) {
        try {
            Parser p = new Parser(s.replaceAll("\\s+", ""));
            double v = p.sum();
            return p.at == p.s.length() && Double.isFinite(v) ? v : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Recursive descent over: sum = term (('+'|'-') term)*, term = unary (('*'|'/') unary)*, unary = '-' unary | power, power = atom ('^' unary)?. */
    private static final class Parser {
        final String s;
        int at;

        Parser(String s) {
            this.s = s;
        }

        boolean eat(char c) {
            if (at < s.length() && s.charAt(at) == c) {
                at++;
                return true;
            }
            return false;
        }

        double sum() {
            double v = term();
            while (true) {
                if (eat('+')) v += term();
                else if (eat('-')) v -= term();
                else return v;
            }
        }

        double term() {
            double v = unary();
            while (true) {
                if (eat('*')) v *= unary();
                else if (eat('/')) v /= unary();
                else return v;
            }
        }

        double unary() {
            if (eat('-')) return -unary();
            return power();
        }

        double power() {
            double v = atom();
            if (eat('^')) return Math.pow(v, unary());
            return v;
        }

        double atom() {
            if (eat('(')) {
                double v = sum();
                if (!eat(')')) throw new IllegalArgumentException();
                return v;
            }
            int b = at;
            while (at < s.length() && (Character.isDigit(s.charAt(at)) || s.charAt(at) == '.')) at++;
            if (at < s.length() && (s.charAt(at) == 'e' || s.charAt(at) == 'E') && at > b) {
                int save = at++;
                if (at < s.length() && (s.charAt(at) == '-' || s.charAt(at) == '+')) at++;
                int d = at;
                while (at < s.length() && Character.isDigit(s.charAt(at))) at++;
                if (at == d) at = save;
            }
            if (at > b) return Double.parseDouble(s.substring(b, at));
            while (at < s.length() && Character.isLetter(s.charAt(at))) at++;
            String name = s.substring(b, at);
            if (name.equals("pi")) return Math.PI;
            if (!eat('(')) throw new IllegalArgumentException();
            double x = sum();
            if (!eat(')')) throw new IllegalArgumentException();
            return switch (name) {
                case "sqrt" -> Math.sqrt(x);
                case "exp" -> Math.exp(x);
                case "log" -> Math.log(x);
                case "abs" -> Math.abs(x);
                default -> throw new IllegalArgumentException();
            };
        }
    }
}
