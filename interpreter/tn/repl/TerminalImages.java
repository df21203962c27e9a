package tn.repl;

import java.util.Base64;
import java.util.Locale;
import java.util.Map;

/**
 * Images shown in the terminal itself, for `:draw`: the kitty graphics protocol (kitty, Ghostty)
 * or iTerm2's inline images (iTerm2, WezTerm), each a PNG sent as base64 inside
 * an escape sequence. Which one the terminal speaks is read from the environment it sets;
 * TN_IMAGES=kitty|iterm|none overrides it (over ssh or tmux, where those variables are lost).
 */
public final class TerminalImages {
    private TerminalImages() {}

    public enum Protocol { NONE, KITTY, ITERM }

    /** The kitty protocol's largest payload per escape sequence (base64 characters). */
    static final int KITTY_CHUNK = 4096;

    /** The protocol the terminal described by {@code env} shows images with. */
    public static Protocol detect(Map<String, String> env) {
        String forced = env.get("TN_IMAGES");
        if (forced != null && !forced.isBlank()) {
            return switch (forced.strip().toLowerCase(Locale.ROOT)) {
                case "kitty" -> Protocol.KITTY;
                case "iterm", "iterm2" -> Protocol.ITERM;
                default -> Protocol.NONE;
            };
        }
        String term = env.getOrDefault("TERM", ""), program = env.getOrDefault("TERM_PROGRAM", "");
        if (env.containsKey("KITTY_WINDOW_ID") || term.contains("kitty") || term.contains("ghostty") || program.equals("ghostty")) return Protocol.KITTY;
        if (program.equals("iTerm.app") || program.equals("WezTerm") || "iTerm2".equals(env.get("LC_TERMINAL"))) return Protocol.ITERM;
        return Protocol.NONE;
    }

    /** The escape sequence(s) that show {@code png} at the cursor, or "" for {@link Protocol#NONE}. */
    public static String escape(Protocol p, byte[] png) {
        String data = Base64.getEncoder().encodeToString(png);
        return switch (p) {
            case NONE -> "";
            case ITERM -> "\033]1337;File=inline=1;size=" + png.length + ";preserveAspectRatio=1:" + data + "\007";
            case KITTY -> {
                // a=T: transmit and show; f=100: PNG; m=1 on every chunk but the last.
                StringBuilder s = new StringBuilder();
                for (int at = 0; at < data.length() || at == 0; at += KITTY_CHUNK) {
                    String chunk = data.substring(at, Math.min(data.length(), at + KITTY_CHUNK));
                    boolean more = at + KITTY_CHUNK < data.length();
                    s.append("\033_G").append(at == 0 ? "f=100,a=T," : "").append("m=").append(more ? 1 : 0).append(';').append(chunk).append("\033\\");
                }
                yield s.toString();
            }
        };
    }
}
