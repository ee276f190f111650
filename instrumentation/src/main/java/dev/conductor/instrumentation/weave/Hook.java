package dev.conductor.instrumentation.weave;

import java.util.List;
import org.objectweb.asm.Opcodes;

/**
 * What is woven into one method for one point: a call of a {@code Woven} method before the body,
 * and one on every exit, each with its arguments as a list of {@link Source}s.
 *
 * @param enter the {@code Woven} method called before the body, or null
 * @param enterArguments what {@code enter} is passed
 * @param state what {@code enter} returns and the exit receives as {@link Source#STATE}: {@code
 *     'J'} (a start time), {@code 'Z'} (outermost or not), {@code 'L'} (an {@code Object}: the
 *     recorder's per-thread state, so that the exit needs no thread-local lookup of its own) or
 *     {@code 'V'} (nothing)
 * @param exit the {@code Woven} method called on every exit, or null
 * @param exitArguments what {@code exit} is passed
 * @param onThrowable whether {@code exit} also runs when the method throws
 * @param point the value of {@link Source#POINT}
 * @param kind the value of {@link Source#KIND}
 * @param replacesReturn whether {@code exit} returns the value the method returns instead (an
 *     {@code Object}, which must be the value it was passed as {@link Source#RETURNED} or one of
 *     the method's return type): only on normal returns
 * @param calls calls the method makes that get a {@code Woven} call of their own, with the state
 *     {@code enter} returned, the call's receiver and its arguments
 */
record Hook(
    String enter,
    List<Source> enterArguments,
    char state,
    String exit,
    List<Source> exitArguments,
    boolean onThrowable,
    int point,
    int kind,
    boolean replacesReturn,
    List<CallHook> calls) {

  static final String WOVEN = "dev/conductor/bootstrap/Woven";

  /**
   * A call to a method {@code name} of descriptor {@code descriptor} (which returns nothing), on
   * any receiver: {@code woven} is called just before it ({@code before}) or just after it returned
   * normally, with {@code (Object state, Object receiver, Object argument...)}. Each call site
   * costs the method one {@code Woven} call, where hooks on the called method itself would cost it
   * an {@code enter} and an {@code exit} with a thread-local look-up each: for a loop that calls
   * the same methods for every item, such as a pool worker's.
   */
  record CallHook(String name, String descriptor, String woven, boolean before) {
    CallHook {
      if (!descriptor.endsWith(")V")) {
        throw new IllegalArgumentException("a hooked call returns nothing: " + descriptor);
      }
      for (org.objectweb.asm.Type argument : org.objectweb.asm.Type.getArgumentTypes(descriptor)) {
        if (argument.getSort() != org.objectweb.asm.Type.OBJECT) {
          throw new IllegalArgumentException("a hooked call takes objects only: " + descriptor);
        }
      }
    }

    /** {@code woven}'s descriptor: the state, the receiver and the call's arguments, as objects. */
    String wovenDescriptor() {
      return "(Ljava/lang/Object;Ljava/lang/Object;"
          + "Ljava/lang/Object;".repeat(argumentCount())
          + ")V";
    }

    int argumentCount() {
      return org.objectweb.asm.Type.getArgumentTypes(descriptor).length;
    }
  }

  static Hook enterOnly(String enter, List<Source> arguments) {
    return new Hook(enter, arguments, 'V', null, List.of(), false, 0, 0, false, List.of());
  }

  static Hook exitOnly(String exit, List<Source> arguments, boolean onThrowable) {
    return new Hook(null, List.of(), 'V', exit, arguments, onThrowable, 0, 0, false, List.of());
  }

  /**
   * {@code enter} on entry, whose result (an {@code Object}) every hooked call of {@code calls}
   * gets: a method that looks its per-thread state up once for all its calls.
   */
  static Hook aroundCalls(String enter, List<CallHook> calls) {
    return new Hook(enter, List.of(), 'L', null, List.of(), false, 0, 0, false, List.copyOf(calls));
  }

  /**
   * On normal returns: {@code exit} gets the returned value and returns what the method returns.
   */
  static Hook exitReplacing(String exit, List<Source> arguments) {
    if (!arguments.contains(Source.RETURNED)) {
      throw new IllegalArgumentException("a replacing exit is passed the returned value");
    }
    return new Hook(null, List.of(), 'V', exit, arguments, false, 0, 0, true, List.of());
  }

  static Hook around(
      String enter,
      List<Source> enterArguments,
      char state,
      String exit,
      List<Source> exitArguments) {
    return new Hook(
        enter, enterArguments, state, exit, exitArguments, true, 0, 0, false, List.of());
  }

  /** The same hook with its point constant (and kind constant) set. */
  Hook at(int point, int kind) {
    return new Hook(
        enter,
        enterArguments,
        state,
        exit,
        exitArguments,
        onThrowable,
        point,
        kind,
        replacesReturn,
        calls);
  }

  boolean uses(Source source) {
    return enterArguments.contains(source) || exitArguments.contains(source);
  }

  /** Local variable slots the state takes in the woven method. */
  int stateSize() {
    return state == 'J' ? 2 : state == 'V' ? 0 : 1;
  }

  /** The state's type in a method descriptor. */
  String stateDescriptor() {
    return state == 'L' ? "Ljava/lang/Object;" : String.valueOf(state);
  }

  /** The opcode that stores the state in its local, or loads it when {@code load}. */
  int stateOpcode(boolean load) {
    return switch (state) {
      case 'J' -> load ? Opcodes.LLOAD : Opcodes.LSTORE;
      case 'L' -> load ? Opcodes.ALOAD : Opcodes.ASTORE;
      default -> load ? Opcodes.ILOAD : Opcodes.ISTORE;
    };
  }

  /** The state's local in a stack map frame. */
  Object stateFrameType() {
    return switch (state) {
      case 'J' -> Opcodes.LONG;
      case 'L' -> "java/lang/Object";
      default -> Opcodes.INTEGER;
    };
  }

  String enterDescriptor() {
    return descriptor(enterArguments, stateDescriptor());
  }

  String exitDescriptor() {
    return descriptor(exitArguments, replacesReturn ? "Ljava/lang/Object;" : "V");
  }

  /** Operand stack slots the arguments of {@code enter} or {@code exit} take at most. */
  int maxArgumentSlots() {
    return Math.max(slots(enterArguments), slots(exitArguments));
  }

  private int slots(List<Source> arguments) {
    int slots = 0;
    for (Source source : arguments) {
      slots += source == Source.STATE ? Math.max(1, stateSize()) : 1;
    }
    return slots;
  }

  private String descriptor(List<Source> arguments, String result) {
    StringBuilder text = new StringBuilder("(");
    for (Source source : arguments) {
      text.append(source == Source.STATE ? stateDescriptor() : source.descriptor);
    }
    return text.append(')').append(result).toString();
  }
}
