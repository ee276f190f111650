package dev.conductor.agent.config;

import java.util.List;
import java.util.stream.Collectors;

/** The configuration could not be used; the message lists every problem, one per line. */
public final class ConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  private final transient List<ConfigProblem> problems;

  public ConfigException(String file, List<ConfigProblem> problems) {
    super(format(file, problems));
    this.problems = List.copyOf(problems);
  }

  public List<ConfigProblem> problems() {
    return problems;
  }

  private static String format(String file, List<ConfigProblem> problems) {
    String where = file == null ? "the agent configuration" : file;
    return "invalid configuration in "
        + where
        + " ("
        + problems.size()
        + (problems.size() == 1 ? " problem" : " problems")
        + "):\n"
        + problems.stream().map(p -> "  - " + p).collect(Collectors.joining("\n"));
  }
}
