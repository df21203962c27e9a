package tn.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestTest {
    @Test
    void suggestsCloseNamesOnly() {
        assertEquals("Alpha", Suggest.closest("Alpah", List.of("Alpha", "Beta")));
        assertEquals("random", Suggest.closest("rnadom", List.of("random", "relu")));
        assertNull(Suggest.closest("xy", List.of("xz")));
        assertNull(Suggest.closest("banana", List.of("random")));
        assertEquals(1, Suggest.distance("ab", "ba"));
    }
}
