package dev.conductor.agent.config;

import dev.conductor.instrumentation.AgentPoint;
import dev.conductor.instrumentation.EnqueuePoint;
import dev.conductor.instrumentation.OperationPoint;
import dev.conductor.instrumentation.PointLabels;
import dev.conductor.instrumentation.TaskPoint;
import dev.conductor.instrumentation.expression.ExpressionException;
import dev.conductor.instrumentation.expression.LabelExpression;
import dev.conductor.instrumentation.expression.Names;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The hook points of the {@code instrumentation} section, checked and compiled.
 *
 * <p>Every list is woven: {@code tasks}, {@code enqueue} and {@code agents} for metrics (and
 * spans), {@code operations} for spans only, when tracing is on.
 *
 * @param tasks the task points, in config order
 * @param hooks the other points by list name
 */
public record InstrumentationConfig(
    List<TaskPoint> tasks,
    Map<String, List<HookPoint>> hooks,
    Map<String, String> executorNames,
    Map<String, String> lines) {
  static final InstrumentationConfig EMPTY =
      new InstrumentationConfig(List.of(), Map.of(), Map.of(), Map.of());

  private static final Set<String> TASK_KEYS =
      Set.of("type", "method", "labels", "status", "task", "name");
  private static final Set<String> TASK_LABELS =
      Set.of("task_type", "task_id", "agent_id", "priority");

  /** Keys of the other lists; the values that are expressions are marked with a leading '='. */
  private static final Map<String, List<String>> HOOK_KEYS =
      Map.of(
          "enqueue",
              List.of("type", "method", "=task", "=task_id", "=task_type", "=priority", "name"),
          "agents", List.of("type", "=agent_id", "start", "stop", "health_check", "name"),
          "operations", List.of("type", "method", "name"));

  /**
   * A validated point of one of the lists other than {@code tasks}.
   *
   * @param values the keys as given (method lists joined with commas)
   */
  public record HookPoint(String list, int index, Map<String, String> values) {}

  public InstrumentationConfig {
    tasks = List.copyOf(tasks);
    hooks = Map.copyOf(hooks);
    executorNames = Map.copyOf(executorNames);
    lines = Map.copyOf(lines);
  }

  /**
   * Where a point's key was given, e.g. {@code line 4} for {@code instrumentation.tasks[0].method};
   * null when it was not read from the file.
   */
  public String lineOf(String key) {
    return lines.get(key);
  }

  /** The task object of a point that does not say: the first argument, as in execute(task). */
  private static final LabelExpression DEFAULT_TASK = parsed("arg0");

  /** The enqueue points, compiled. */
  public List<EnqueuePoint> enqueuePoints() {
    List<EnqueuePoint> points = new ArrayList<>();
    for (HookPoint hook : hooks.getOrDefault("enqueue", List.of())) {
      Map<String, String> v = hook.values();
      String task = v.getOrDefault("task", "arg0");
      points.add(
          new EnqueuePoint(
              v.getOrDefault("name", simpleName(v.get("type")) + "." + v.get("method")),
              v.get("type"),
              List.of(v.get("method").split(",")),
              new PointLabels(
                  parsed(task),
                  parsed(v.get("task_type")),
                  parsed(v.get("task_id")),
                  null,
                  parsed(v.get("priority")),
                  null)));
    }
    return points;
  }

  /**
   * The operation points, one per method: an entry with {@code method: [plan, review]} gives two,
   * named after the class and the method unless the entry has a {@code name}.
   */
  public List<OperationPoint> operationPoints() {
    List<OperationPoint> points = new ArrayList<>();
    for (HookPoint hook : hooks.getOrDefault("operations", List.of())) {
      Map<String, String> v = hook.values();
      for (String method : v.get("method").split(",")) {
        String name = v.get("name");
        points.add(
            new OperationPoint(
                name == null ? simpleName(v.get("type")) + "." + method : name,
                v.get("type"),
                method));
      }
    }
    return points;
  }

  /** The agent lifecycle points, compiled. */
  public List<AgentPoint> agentPoints() {
    List<AgentPoint> points = new ArrayList<>();
    for (HookPoint hook : hooks.getOrDefault("agents", List.of())) {
      Map<String, String> v = hook.values();
      points.add(
          new AgentPoint(
              v.getOrDefault("name", simpleName(v.get("type"))),
              v.get("type"),
              parsed(v.get("agent_id")),
              v.get("start"),
              v.get("stop"),
              v.get("health_check")));
    }
    return points;
  }

  /** Parses an expression that validation already accepted; null stays null. */
  private static LabelExpression parsed(String source) {
    if (source == null) {
      return null;
    }
    try {
      return LabelExpression.parse(source);
    } catch (ExpressionException e) {
      throw new IllegalStateException("validated expression no longer parses: " + source, e);
    }
  }

  static InstrumentationConfig read(YamlNode section, List<ConfigProblem> problems) {
    if (!(section instanceof YamlNode.Mapping mapping)) {
      return EMPTY;
    }
    List<TaskPoint> tasks = new ArrayList<>();
    Map<String, List<HookPoint>> hooks = new LinkedHashMap<>();
    Map<String, String> executorNames = new LinkedHashMap<>();
    Map<String, String> lines = new HashMap<>();
    for (YamlNode.Entry entry : mapping.entries()) {
      String list = ConfigLoader.scalarText(entry.key());
      if (list.equals(Schema.EXECUTOR_NAMES)) {
        readExecutorNames(entry.value(), executorNames, problems);
        continue;
      }
      if (!Schema.POINT_LISTS.contains(list) || ConfigLoader.isNull(entry.value())) {
        continue;
      }
      String path = "instrumentation." + list;
      if (!(entry.value() instanceof YamlNode.Sequence sequence)) {
        problems.add(
            new ConfigProblem(path, ConfigLoader.line(entry.value()), "expected a list of points"));
        continue;
      }
      List<YamlNode> points = sequence.items();
      for (int i = 0; i < points.size(); i++) {
        String pointPath = path + "[" + i + "]";
        YamlNode point = points.get(i);
        if (!(point instanceof YamlNode.Mapping pointMapping)) {
          problems.add(
              new ConfigProblem(pointPath, ConfigLoader.line(point), "expected a mapping"));
          continue;
        }
        rememberLines(pointPath, pointMapping, lines);
        if (list.equals("tasks")) {
          TaskPoint task = readTask(pointPath, pointMapping, problems);
          if (task != null) {
            tasks.add(task);
          }
        } else {
          HookPoint hook = readHook(list, i, pointPath, pointMapping, problems);
          if (hook != null) {
            List<HookPoint> listed = hooks.get(list);
            if (listed == null) {
              listed = new ArrayList<>();
              hooks.put(list, listed);
            }
            listed.add(hook);
          }
        }
      }
    }
    return new InstrumentationConfig(tasks, hooks, executorNames, lines);
  }

  /** The line of each key of a point, for the checks made after reading (see {@link #lineOf}). */
  private static void rememberLines(
      String pointPath, YamlNode.Mapping point, Map<String, String> lines) {
    for (YamlNode.Entry entry : point.entries()) {
      String where = ConfigLoader.line(entry.value());
      if (entry.key() instanceof YamlNode.Scalar key && where != null) {
        lines.put(pointPath + "." + key.text().trim(), where);
      }
    }
  }

  /** {@code executor_names: {Orchestrator: orchestrator-pool, pool-thread: default-pool}}. */
  private static void readExecutorNames(
      YamlNode node, Map<String, String> names, List<ConfigProblem> problems) {
    String path = "instrumentation." + Schema.EXECUTOR_NAMES;
    if (ConfigLoader.isNull(node)) {
      return;
    }
    if (!(node instanceof YamlNode.Mapping mapping)) {
      problems.add(
          new ConfigProblem(
              path, ConfigLoader.line(node), "expected a mapping of pool names to new names"));
      return;
    }
    for (YamlNode.Entry tuple : mapping.entries()) {
      if (!(tuple.key() instanceof YamlNode.Scalar from)
          || !(tuple.value() instanceof YamlNode.Scalar to)
          || to.text().isBlank()) {
        problems.add(
            new ConfigProblem(
                path, ConfigLoader.line(tuple.key()), "expected name: new-name pairs"));
        continue;
      }
      names.put(from.text(), to.text().trim());
    }
  }

  private static TaskPoint readTask(
      String path, YamlNode.Mapping point, List<ConfigProblem> problems) {
    int before = problems.size();
    Map<String, YamlNode> entries = entries(path, point, TASK_KEYS, problems);
    String type = requiredText(path, "type", entries, point, problems);
    List<String> methods = methods(path, entries, point, problems);
    Map<String, LabelExpression> labels = new LinkedHashMap<>();
    YamlNode labelNode = entries.get("labels");
    if (labelNode instanceof YamlNode.Mapping labelMapping) {
      Map<String, YamlNode> labelEntries =
          entries(path + ".labels", labelMapping, TASK_LABELS, problems);
      for (Map.Entry<String, YamlNode> entry : labelEntries.entrySet()) {
        String label = entry.getKey();
        LabelExpression expression =
            expression(path + ".labels." + label, entry.getValue(), problems);
        if (expression != null) {
          labels.put(label, expression);
        }
      }
    } else if (labelNode != null && !ConfigLoader.isNull(labelNode)) {
      problems.add(
          new ConfigProblem(
              path + ".labels",
              ConfigLoader.line(labelNode),
              "expected a mapping of task_type, task_id, agent_id and priority to expressions"));
    }
    LabelExpression status =
        entries.containsKey("status")
            ? expression(path + ".status", entries.get("status"), problems)
            : null;
    LabelExpression task =
        entries.containsKey("task")
            ? expression(path + ".task", entries.get("task"), problems)
            : DEFAULT_TASK;
    if (problems.size() > before) {
      return null;
    }
    String name =
        entries.containsKey("name")
            ? ConfigLoader.scalarText(entries.get("name"))
            : simpleName(type) + "." + String.join("|", methods);
    return new TaskPoint(
        name,
        type,
        methods,
        new PointLabels(
            task,
            labels.get("task_type"),
            labels.get("task_id"),
            labels.get("agent_id"),
            labels.get("priority"),
            status));
  }

  private static HookPoint readHook(
      String list, int index, String path, YamlNode.Mapping point, List<ConfigProblem> problems) {
    int before = problems.size();
    List<String> keys = HOOK_KEYS.get(list);
    Set<String> names = new java.util.HashSet<>();
    for (String key : keys) {
      names.add(key.startsWith("=") ? key.substring(1) : key);
    }
    Map<String, YamlNode> entries = entries(path, point, names, problems);
    requiredText(path, "type", entries, point, problems);
    Map<String, String> values = new LinkedHashMap<>();
    for (String key : keys) {
      boolean isExpression = key.startsWith("=");
      String name = isExpression ? key.substring(1) : key;
      YamlNode node = entries.get(name);
      if (node == null) {
        continue;
      }
      if (name.equals("method")) {
        values.put(name, String.join(",", methods(path, entries, point, problems)));
      } else if (isExpression) {
        LabelExpression expression = expression(path + "." + name, node, problems);
        values.put(name, expression == null ? null : expression.toString());
      } else if (node instanceof YamlNode.Scalar scalar) {
        values.put(name, scalar.text());
      } else {
        problems.add(
            new ConfigProblem(path + "." + name, ConfigLoader.line(node), "expected a name"));
      }
    }
    if (list.equals("operations") && !entries.containsKey("method")) {
      problems.add(new ConfigProblem(path + ".method", ConfigLoader.line(point), "is required"));
    }
    return problems.size() > before ? null : new HookPoint(list, index, values);
  }

  private static Map<String, YamlNode> entries(
      String path, YamlNode.Mapping mapping, Set<String> allowed, List<ConfigProblem> problems) {
    Map<String, YamlNode> entries = new LinkedHashMap<>();
    for (YamlNode.Entry tuple : mapping.entries()) {
      String key = ConfigLoader.scalarText(tuple.key());
      if (allowed.contains(key)) {
        entries.put(key, tuple.value());
      } else {
        List<String> known = new ArrayList<>();
        for (String name : allowed) {
          known.add(path + "." + name);
        }
        java.util.Collections.sort(known);
        problems.add(
            ConfigLoader.unknownKey(path + "." + key, ConfigLoader.line(tuple.key()), known));
      }
    }
    return entries;
  }

  private static String requiredText(
      String path,
      String key,
      Map<String, YamlNode> entries,
      YamlNode point,
      List<ConfigProblem> problems) {
    YamlNode node = entries.get(key);
    if (node == null) {
      problems.add(new ConfigProblem(path + "." + key, ConfigLoader.line(point), "is required"));
      return null;
    }
    if (!(node instanceof YamlNode.Scalar scalar) || scalar.text().isBlank()) {
      problems.add(
          new ConfigProblem(path + "." + key, ConfigLoader.line(node), "expected a class name"));
      return null;
    }
    String text = scalar.text().trim();
    if (!Names.isQualifiedName(text)) {
      problems.add(
          new ConfigProblem(
              path + "." + key,
              ConfigLoader.line(node),
              "expected a fully qualified class name like com.acme.Agent, got '" + text + "'"));
      return null;
    }
    return text;
  }

  private static List<String> methods(
      String path, Map<String, YamlNode> entries, YamlNode point, List<ConfigProblem> problems) {
    YamlNode node = entries.get("method");
    List<String> methods = new ArrayList<>();
    if (node == null) {
      problems.add(new ConfigProblem(path + ".method", ConfigLoader.line(point), "is required"));
      return methods;
    }
    List<YamlNode> names =
        node instanceof YamlNode.Sequence sequence ? sequence.items() : List.of(node);
    for (YamlNode name : names) {
      String text = name instanceof YamlNode.Scalar scalar ? scalar.text().trim() : "";
      if (!Names.isName(text)) {
        problems.add(
            new ConfigProblem(
                path + ".method",
                ConfigLoader.line(name),
                "expected a method name or a list of names, got '" + text + "'"));
      } else {
        methods.add(text);
      }
    }
    if (methods.isEmpty() && names.isEmpty()) {
      problems.add(new ConfigProblem(path + ".method", ConfigLoader.line(node), "names no method"));
    }
    return methods;
  }

  private static LabelExpression expression(
      String path, YamlNode node, List<ConfigProblem> problems) {
    if (!(node instanceof YamlNode.Scalar scalar)) {
      problems.add(
          new ConfigProblem(path, ConfigLoader.line(node), "expected an expression like arg0.id"));
      return null;
    }
    try {
      return LabelExpression.parse(scalar.text());
    } catch (ExpressionException e) {
      problems.add(
          new ConfigProblem(path, ConfigLoader.line(node), "bad expression: " + e.getMessage()));
      return null;
    }
  }

  private static String simpleName(String type) {
    return type == null ? "?" : type.substring(type.lastIndexOf('.') + 1);
  }
}
