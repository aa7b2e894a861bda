package io.timbre.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Evaluates the Step Functions intrinsic functions the state machine uses ({@code States.Array},
 * {@code States.Format}, string literals, JSONPaths), so a test can compare the steps a scheduled run submits with
 * emr/steps/*.json. Literal escapes follow the ASL spec: {@code \' \{ \} \\}.
 */
final class StepFunctionsIntrinsics {
  private final String s;
  private final Function<String, String> paths;
  private int i;

  private StepFunctionsIntrinsics(String s, Function<String, String> paths) {
    this.s = s;
    this.paths = paths;
  }

  /** The value of an expression: a String, or a List of values for States.Array. */
  static Object eval(String expression, Function<String, String> paths) {
    StepFunctionsIntrinsics p = new StepFunctionsIntrinsics(expression, paths);
    Object v = p.value();
    p.skipSpaces();
    if (p.i != expression.length()) {
      throw new IllegalArgumentException("Trailing text at " + p.i + " in " + expression);
    }
    return v;
  }

  static Object eval(String expression, JsonNode context) {
    return eval(expression, path -> {
      JsonNode n = context;
      for (String part : path.replaceFirst("^\\$+\\.", "").split("\\.")) {
        n = n.path(part);
      }
      if (n.isMissingNode()) {
        throw new IllegalArgumentException("No value at " + path);
      }
      return n.asText();
    });
  }

  private Object value() {
    skipSpaces();
    if (s.charAt(i) == '\'') {
      return literal();
    }
    if (s.charAt(i) == '$') {
      int start = i;
      while (i < s.length() && s.charAt(i) != ',' && s.charAt(i) != ')' && s.charAt(i) != ' ') {
        i++;
      }
      return paths.apply(s.substring(start, i));
    }
    int open = s.indexOf('(', i);
    String fn = s.substring(i, open);
    i = open + 1;
    List<Object> args = new ArrayList<>();
    skipSpaces();
    while (s.charAt(i) != ')') {
      args.add(value());
      skipSpaces();
      if (s.charAt(i) == ',') {
        i++;
      }
      skipSpaces();
    }
    i++;
    return switch (fn) {
      case "States.Array" -> args;
      case "States.Format" -> format(args);
      default -> throw new IllegalArgumentException("Unsupported intrinsic " + fn);
    };
  }

  private static String format(List<Object> args) {
    String template = (String) args.get(0);
    StringBuilder out = new StringBuilder();
    int arg = 1;
    for (int k = 0; k < template.length(); k++) {
      if (template.startsWith("{}", k)) {
        out.append(args.get(arg++));
        k++;
      } else {
        out.append(template.charAt(k));
      }
    }
    if (arg != args.size()) {
      throw new IllegalArgumentException("States.Format: " + (args.size() - 1) + " arguments for " + (arg - 1)
          + " placeholders in " + template);
    }
    return out.toString();
  }

  private String literal() {
    StringBuilder b = new StringBuilder();
    i++;
    while (s.charAt(i) != '\'') {
      char c = s.charAt(i++);
      if (c == '\\') {
        c = s.charAt(i++);
        // an escaped brace stays a brace but is not a placeholder: keep the escape for format()
        if (c == '{' || c == '}') {
          throw new IllegalArgumentException("escaped braces are not used by Timbre's state machine");
        }
      }
      b.append(c);
    }
    i++;
    return b.toString();
  }

  private void skipSpaces() {
    while (i < s.length() && s.charAt(i) == ' ') {
      i++;
    }
  }
}
