package dev.conductor.benchmarks;

import com.example.benchapp.Task;
import dev.conductor.instrumentation.expression.LabelExpression;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One label read, {@code arg0.type}, taken apart. {@code LabelExpression} evaluates a {@code .type}
 * step as {@code PropertyStep.apply}: a {@link ClassValue} lookup of the target's class, then
 * {@code invokeExact} of the cached {@code (Object)Object} getter handle. This benchmark times that
 * expression ({@link #expression}), the same two steps written out ({@link #classValueAndHandle}),
 * the handle alone held in a plain field ({@link #handleInField}), the same handle in a {@code
 * static final} field, where the JIT can inline it ({@link #constantHandle}), and the plain getter
 * ({@link #getter}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class LabelReadBenchmark {
  private static final String[] TYPES = {"code_review", "refactor", "analysis", "documentation"};
  private static final MethodHandle CONSTANT = typeGetter();

  private final Task[] tasks = new Task[TYPES.length];
  private long calls;
  private LabelExpression expression;
  private MethodHandle handle;
  private final ClassValue<MethodHandle> handles =
      new ClassValue<>() {
        @Override
        protected MethodHandle computeValue(Class<?> type) {
          return typeGetter();
        }
      };

  /** What {@code PropertyStep} builds for a {@code .type} step on {@link Task}. */
  private static MethodHandle typeGetter() {
    try {
      Field field = Task.class.getDeclaredField("type");
      field.setAccessible(true);
      return MethodHandles.lookup()
          .unreflectGetter(field)
          .asType(MethodType.methodType(Object.class, Object.class));
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  @Setup
  public void setUp() throws Exception {
    for (int i = 0; i < tasks.length; i++) {
      tasks[i] = new Task("task-" + i, TYPES[i], i * 3);
    }
    expression = LabelExpression.parse("arg0.type");
    handle = typeGetter();
  }

  private Task nextTask() {
    return tasks[(int) (calls++ & (TYPES.length - 1))];
  }

  @Benchmark
  public Object expression() throws Throwable {
    return expression.evaluate(null, nextTask(), null, null, null, null);
  }

  @Benchmark
  public Object classValueAndHandle() throws Throwable {
    Object task = nextTask();
    return (Object) handles.get(task.getClass()).invokeExact(task);
  }

  @Benchmark
  public Object handleInField() throws Throwable {
    Object task = nextTask();
    return (Object) handle.invokeExact(task);
  }

  @Benchmark
  public Object constantHandle() throws Throwable {
    Object task = nextTask();
    return (Object) CONSTANT.invokeExact(task);
  }

  @Benchmark
  public Object getter() {
    return nextTask().getType();
  }
}
