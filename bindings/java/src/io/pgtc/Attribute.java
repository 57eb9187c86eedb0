package io.pgtc;

/**
 * One of pgtc's attributes as the library lists it ({@code pgtc_attr_name}, {@code
 * pgtc_attr_default}, {@code pgtc_attr_doc}); see {@link Pgtc#attributes()}.
 *
 * @param name the name, e.g. "PREFERRED_ACCESS" (matched case-insensitively)
 * @param defaultValue the default in its canonical spelling, e.g. "WRITE_MOSTLY"
 * @param doc one line saying what the attribute does
 */
public record Attribute(String name, String defaultValue, String doc) {}
