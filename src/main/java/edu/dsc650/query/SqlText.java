package edu.dsc650.query;

/**
 * The text of a SQL file as far as its statements go: comments ({@code --}, {@code /* *}{@code /})
 * and quoted text ({@code '...'}, {@code "..."}, {@code `...`}) are skipped, so that a ';' in them
 * does not end a statement.
 */
final class SqlText {
  private SqlText() {}

  /** How many statements the text holds (0 for comments only). */
  static int statements(String sql) {
    String code = code(sql);
    int count = 0;
    for (String part : code.split(";", -1)) {
      if (!part.isBlank()) {
        count++;
      }
    }
    return count;
  }

  /** The text without the ';'s (and blanks) that end it. */
  static String withoutTrailingSemicolon(String sql) {
    String code = code(sql);
    int end = sql.length();
    while (end > 0
        && (Character.isWhitespace(code.charAt(end - 1)) || code.charAt(end - 1) == ';')) {
      end--;
    }
    return sql.substring(0, end);
  }

  /** True if the statement is a query (not a command such as DROP or INSERT). */
  static boolean isQuery(String sql) {
    String first = code(sql).strip().split("[\\s(]+", 2)[0].toUpperCase(java.util.Locale.ROOT);
    return first.isEmpty() && code(sql).strip().startsWith("(")
        || first.equals("SELECT")
        || first.equals("WITH")
        || first.equals("FROM")
        || first.equals("VALUES")
        || first.equals("TABLE");
  }

  /** The text with comments and quoted text blanked out (same length: positions stay). */
  static String code(String sql) {
    StringBuilder b = new StringBuilder(sql);
    int i = 0;
    while (i < b.length()) {
      char c = b.charAt(i);
      if (c == '-' && i + 1 < b.length() && b.charAt(i + 1) == '-') {
        while (i < b.length() && b.charAt(i) != '\n') {
          b.setCharAt(i++, ' ');
        }
      } else if (c == '/' && i + 1 < b.length() && b.charAt(i + 1) == '*') {
        int end = sql.indexOf("*/", i + 2);
        end = end < 0 ? b.length() : end + 2;
        for (; i < end; i++) {
          if (b.charAt(i) != '\n') {
            b.setCharAt(i, ' ');
          }
        }
      } else if (c == '\'' || c == '"' || c == '`') {
        b.setCharAt(i++, ' ');
        while (i < b.length() && b.charAt(i) != c) {
          if (b.charAt(i) == '\\' && i + 1 < b.length()) {
            b.setCharAt(i++, ' ');
          }
          b.setCharAt(i++, ' ');
        }
        if (i < b.length()) {
          b.setCharAt(i++, ' ');
        }
      } else {
        i++;
      }
    }
    return b.toString();
  }
}
