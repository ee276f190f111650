package dev.conductor.instrumentation.weave;

import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Weaves the hooks of one method: the enter calls before the body, the exit calls before every
 * return, one exception handler around the body that runs the exit calls with the exception and
 * throws it on unchanged, and the calls around the method's own calls that a hook names ({@link
 * Hook.CallHook}).
 *
 * <p>The enter hooks' results, and copies of {@code this} and the arguments taken on entry, live in
 * new local variables placed after all of the method's own (at {@code maxLocals}), so none of the
 * method's code needs renumbering; every stack map frame of the method is extended with them. This
 * needs frames in expanded form ({@code ClassReader.EXPAND_FRAMES}). Exits read the copies only, so
 * the handler's frame needs none of the method's own locals.
 *
 * <p>The handler does not cover the woven exit calls themselves: the protected ranges are split at
 * every return, so an exit runs once per call.
 */
final class MethodWeaver extends MethodVisitor {
  private static final String THROWABLE = "java/lang/Throwable";
  private static final int EXTRA_STACK = 4;

  private final String owner;
  private final boolean isStatic;
  private final boolean isConstructor;
  private final Type[] parameters;
  private final Type returnType;
  private final int maxLocals;
  private final List<Hook> hooks;
  private final String executorField;
  private final int[] stateSlots;

  /** Types of the locals the weaving adds for the whole method: the states, then the copies. */
  private final Object[] addedFrameTypes;

  /** Slot of the copy of {@code this} taken on entry, or -1. */
  private final int thisCopy;

  /** Slot of the copy (boxed) of each parameter taken on entry, or -1. */
  private final int[] argumentCopies;

  private final int returnSlot;
  private final int thrownSlot;

  /**
   * First of the slots where a hooked call's receiver and arguments wait while its {@code Woven}
   * call runs ({@link Hook.CallHook}); read back at once, so never named in a frame.
   */
  private final int callSlots;

  private final int callSlotCount;
  private final boolean catches;
  private final List<Label[]> ranges = new ArrayList<>();
  private Label rangeStart;
  private boolean rangeHasCode;

  /**
   * @param maxLocals the method's own {@code max_locals}, from a first pass over the class
   * @param executorField the descriptor of the class's field {@code executor}, or null
   */
  MethodWeaver(
      MethodVisitor next,
      String owner,
      int access,
      String name,
      String descriptor,
      int maxLocals,
      List<Hook> hooks,
      String executorField) {
    super(Opcodes.ASM9, next);
    this.owner = owner;
    this.isStatic = (access & Opcodes.ACC_STATIC) != 0;
    this.isConstructor = name.equals("<init>");
    this.parameters = Type.getArgumentTypes(descriptor);
    this.returnType = Type.getReturnType(descriptor);
    this.maxLocals = maxLocals;
    this.hooks = hooks;
    this.executorField = executorField;
    this.stateSlots = new int[hooks.size()];
    List<Object> addedTypes = new ArrayList<>();
    int slot = maxLocals;
    boolean anyCatch = false;
    boolean anyExit = false;
    for (int i = 0; i < hooks.size(); i++) {
      Hook hook = hooks.get(i);
      stateSlots[i] = slot;
      slot += hook.stateSize();
      if (hook.stateSize() > 0) {
        addedTypes.add(hook.stateFrameType());
      }
      anyCatch |= hook.onThrowable() && hook.exit() != null;
      anyExit |= hook.exit() != null;
    }
    // Exits read this and the arguments from copies taken on entry: the method's own code may
    // store other values, even of other types, into those slots (javac only reassigns a parameter
    // with its own type; other compilers and optimizers reuse slots), and a woven read of such a
    // slot would fail verification. A constructor's this cannot be copied before super() ran.
    this.argumentCopies = new int[parameters.length];
    java.util.Arrays.fill(argumentCopies, -1);
    if (anyExit && !isConstructor) {
      if (!isStatic) {
        thisCopy = slot++;
        addedTypes.add(owner);
      } else {
        thisCopy = -1;
      }
      for (int i = 0; i < parameters.length; i++) {
        if (i <= Source.ARG3.argumentIndex() || isForkJoinTask(parameters[i])) {
          argumentCopies[i] = slot++;
          addedTypes.add("java/lang/Object");
        }
      }
    } else {
      thisCopy = -1;
    }
    this.addedFrameTypes = addedTypes.toArray();
    this.returnSlot = slot;
    this.thrownSlot = slot + 2;
    this.callSlots = thrownSlot + 1;
    int callSlotCount = 0;
    for (Hook hook : hooks) {
      for (Hook.CallHook call : hook.calls()) {
        callSlotCount = Math.max(callSlotCount, 1 + call.argumentCount());
      }
    }
    this.callSlotCount = callSlotCount;
    // Before super() has run a constructor's this cannot be named in a frame: constructors get
    // their exits on normal returns only.
    this.catches = anyCatch && !isConstructor;
  }

  private static boolean isForkJoinTask(Type type) {
    return type.getDescriptor().equals(Source.FORK_JOIN_TASK_DESCRIPTOR);
  }

  @Override
  public void visitCode() {
    super.visitCode();
    if (!isConstructor) {
      for (int i = 0; i < hooks.size(); i++) {
        Hook hook = hooks.get(i);
        if (hook.enter() != null) {
          push(hook, hook.enterArguments(), i, Site.ENTRY);
          mv.visitMethodInsn(
              Opcodes.INVOKESTATIC, Hook.WOVEN, hook.enter(), hook.enterDescriptor(), false);
          if (hook.stateSize() > 0) {
            mv.visitVarInsn(hook.stateOpcode(false), stateSlots[i]);
          }
        }
      }
    }
    if (thisCopy >= 0) {
      mv.visitVarInsn(Opcodes.ALOAD, 0);
      mv.visitVarInsn(Opcodes.ASTORE, thisCopy);
    }
    for (int i = 0; i < parameters.length; i++) {
      if (argumentCopies[i] >= 0) {
        loadParameter(i);
        mv.visitVarInsn(Opcodes.ASTORE, argumentCopies[i]);
      }
    }
    if (catches) {
      startRange();
    }
  }

  /** Where woven code runs: on entry it reads the method's own slots, on exits the copies. */
  private enum Site {
    ENTRY,
    RETURN,
    THROW
  }

  @Override
  public void visitFrame(int type, int numLocal, Object[] local, int numStack, Object[] stack) {
    if (type != Opcodes.F_NEW) {
      throw new IllegalStateException("frames must be expanded");
    }
    List<Object> locals = new ArrayList<>(numLocal + addedFrameTypes.length + 4);
    int slots = 0;
    for (int i = 0; i < numLocal; i++) {
      locals.add(local[i]);
      slots += local[i] == Opcodes.LONG || local[i] == Opcodes.DOUBLE ? 2 : 1;
    }
    while (slots < maxLocals) {
      locals.add(Opcodes.TOP);
      slots++;
    }
    locals.addAll(List.of(addedFrameTypes));
    super.visitFrame(type, locals.size(), locals.toArray(), numStack, stack);
  }

  @Override
  public void visitInsn(int opcode) {
    if (opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN) {
      if (catches) {
        endRange();
      }
      exitOnReturn();
      super.visitInsn(opcode);
      if (catches) {
        startRange();
      }
      return;
    }
    rangeHasCode = true;
    super.visitInsn(opcode);
  }

  @Override
  public void visitMaxs(int maxStack, int maxLocalsSeen) {
    if (catches) {
      endRange();
      if (!ranges.isEmpty()) {
        exitOnThrow();
      }
    }
    int extraStack = EXTRA_STACK;
    for (Hook hook : hooks) {
      extraStack = Math.max(extraStack, hook.maxArgumentSlots() + EXTRA_STACK);
    }
    super.visitMaxs(maxStack + extraStack, callSlots + callSlotCount);
  }

  private void exitOnReturn() {
    boolean keepReturned = returnType.getSort() != Type.VOID && usesReturned();
    if (keepReturned) {
      mv.visitVarInsn(returnType.getOpcode(Opcodes.ISTORE), returnSlot);
    }
    for (int i = hooks.size() - 1; i >= 0; i--) {
      Hook hook = hooks.get(i);
      if (hook.exit() != null) {
        push(hook, hook.exitArguments(), i, Site.RETURN);
        mv.visitMethodInsn(
            Opcodes.INVOKESTATIC, Hook.WOVEN, hook.exit(), hook.exitDescriptor(), false);
        if (hook.replacesReturn()) {
          replaceReturned();
        }
      }
    }
    if (keepReturned) {
      mv.visitVarInsn(returnType.getOpcode(Opcodes.ILOAD), returnSlot);
    }
  }

  /**
   * What a replacing exit returned becomes the method's return value: cast to the declared type
   * (the hook's contract is to return the value it got or one of that type) and stored where the
   * return reloads it. Dropped for methods that return a primitive or nothing.
   */
  private void replaceReturned() {
    int sort = returnType.getSort();
    if (sort == Type.OBJECT || sort == Type.ARRAY) {
      if (!returnType.getDescriptor().equals("Ljava/lang/Object;")) {
        mv.visitTypeInsn(Opcodes.CHECKCAST, returnType.getInternalName());
      }
      mv.visitVarInsn(Opcodes.ASTORE, returnSlot);
    } else {
      mv.visitInsn(Opcodes.POP);
    }
  }

  /** The handler: placed after the method's code, reached only by a throw inside the body. */
  private void exitOnThrow() {
    Label handler = new Label();
    mv.visitLabel(handler);
    mv.visitFrame(
        Opcodes.F_NEW, handlerLocals().length, handlerLocals(), 1, new Object[] {THROWABLE});
    mv.visitVarInsn(Opcodes.ASTORE, thrownSlot);
    for (int i = hooks.size() - 1; i >= 0; i--) {
      Hook hook = hooks.get(i);
      if (hook.exit() != null && hook.onThrowable()) {
        push(hook, hook.exitArguments(), i, Site.THROW);
        mv.visitMethodInsn(
            Opcodes.INVOKESTATIC, Hook.WOVEN, hook.exit(), hook.exitDescriptor(), false);
      }
    }
    mv.visitVarInsn(Opcodes.ALOAD, thrownSlot);
    mv.visitInsn(Opcodes.ATHROW);
    for (Label[] range : ranges) {
      mv.visitTryCatchBlock(range[0], range[1], handler, THROWABLE);
    }
  }

  /**
   * None of the method's own locals (the handler reads none of them, so it assumes nothing about
   * their types), then the locals the weaving added.
   */
  private Object[] handlerLocals() {
    List<Object> locals = new ArrayList<>();
    for (int slot = 0; slot < maxLocals; slot++) {
      locals.add(Opcodes.TOP);
    }
    locals.addAll(List.of(addedFrameTypes));
    return locals.toArray();
  }

  private boolean usesReturned() {
    for (Hook hook : hooks) {
      if (hook.exit() != null && hook.exitArguments().contains(Source.RETURNED)) {
        return true;
      }
    }
    return false;
  }

  private void push(Hook hook, List<Source> arguments, int hookIndex, Site site) {
    boolean onThrow = site == Site.THROW;
    boolean copies = site != Site.ENTRY;
    for (Source source : arguments) {
      switch (source) {
        case POINT -> pushInt(hook.point());
        case KIND -> pushInt(hook.kind());
        case STATE -> mv.visitVarInsn(hook.stateOpcode(true), stateSlots[hookIndex]);
        case THIS -> pushThis(copies);
        case ARG0, ARG1, ARG2, ARG3 -> pushArgument(source.argumentIndex(), copies);
        case RETURNED -> {
          if (onThrow || returnType.getSort() == Type.VOID) {
            mv.visitInsn(Opcodes.ACONST_NULL);
          } else {
            mv.visitVarInsn(returnType.getOpcode(Opcodes.ILOAD), returnSlot);
            box(returnType);
          }
        }
        case THROWN -> {
          if (onThrow) {
            mv.visitVarInsn(Opcodes.ALOAD, thrownSlot);
          } else {
            mv.visitInsn(Opcodes.ACONST_NULL);
          }
        }
        case FORK_JOIN_TASK -> pushForkJoinTask(copies);
        case EXECUTOR_FIELD -> {
          if (isStatic || executorField == null) {
            mv.visitInsn(Opcodes.ACONST_NULL);
          } else {
            pushThis(copies);
            mv.visitFieldInsn(Opcodes.GETFIELD, owner, "executor", executorField);
          }
        }
      }
    }
  }

  private void pushThis(boolean copy) {
    if (isStatic) {
      mv.visitInsn(Opcodes.ACONST_NULL);
    } else {
      mv.visitVarInsn(Opcodes.ALOAD, copy && thisCopy >= 0 ? thisCopy : 0);
    }
  }

  private void pushForkJoinTask(boolean copy) {
    for (int i = 0; i < parameters.length; i++) {
      if (isForkJoinTask(parameters[i])) {
        pushArgument(i, copy);
        return;
      }
    }
    mv.visitInsn(Opcodes.ACONST_NULL);
  }

  /** Parameter {@code index}, boxed when primitive; null when the method has fewer. */
  private void pushArgument(int index, boolean copy) {
    if (index >= parameters.length) {
      mv.visitInsn(Opcodes.ACONST_NULL);
    } else if (copy && argumentCopies[index] >= 0) {
      mv.visitVarInsn(Opcodes.ALOAD, argumentCopies[index]);
    } else {
      loadParameter(index);
    }
  }

  private void loadParameter(int index) {
    int slot = isStatic ? 0 : 1;
    for (int i = 0; i < index; i++) {
      slot += parameters[i].getSize();
    }
    mv.visitVarInsn(parameters[index].getOpcode(Opcodes.ILOAD), slot);
    box(parameters[index]);
  }

  private void box(Type type) {
    String boxed =
        switch (type.getSort()) {
          case Type.BOOLEAN -> "java/lang/Boolean";
          case Type.BYTE -> "java/lang/Byte";
          case Type.CHAR -> "java/lang/Character";
          case Type.SHORT -> "java/lang/Short";
          case Type.INT -> "java/lang/Integer";
          case Type.FLOAT -> "java/lang/Float";
          case Type.LONG -> "java/lang/Long";
          case Type.DOUBLE -> "java/lang/Double";
          default -> null;
        };
    if (boxed != null) {
      mv.visitMethodInsn(
          Opcodes.INVOKESTATIC,
          boxed,
          "valueOf",
          "(" + type.getDescriptor() + ")L" + boxed + ";",
          false);
    }
  }

  private void pushInt(int value) {
    if (value >= -1 && value <= 5) {
      mv.visitInsn(Opcodes.ICONST_0 + value);
    } else if (value >= Byte.MIN_VALUE && value <= Byte.MAX_VALUE) {
      mv.visitIntInsn(Opcodes.BIPUSH, value);
    } else if (value >= Short.MIN_VALUE && value <= Short.MAX_VALUE) {
      mv.visitIntInsn(Opcodes.SIPUSH, value);
    } else {
      mv.visitLdcInsn(value);
    }
  }

  private void startRange() {
    rangeStart = new Label();
    mv.visitLabel(rangeStart);
    rangeHasCode = false;
  }

  private void endRange() {
    if (rangeHasCode) {
      Label end = new Label();
      mv.visitLabel(end);
      ranges.add(new Label[] {rangeStart, end});
    }
    rangeHasCode = false;
  }

  // Every instruction of the method's own marks the current protected range as not empty.

  @Override
  public void visitIntInsn(int opcode, int operand) {
    rangeHasCode = true;
    super.visitIntInsn(opcode, operand);
  }

  @Override
  public void visitVarInsn(int opcode, int varIndex) {
    rangeHasCode = true;
    super.visitVarInsn(opcode, varIndex);
  }

  @Override
  public void visitTypeInsn(int opcode, String type) {
    rangeHasCode = true;
    super.visitTypeInsn(opcode, type);
  }

  @Override
  public void visitFieldInsn(int opcode, String fieldOwner, String name, String descriptor) {
    rangeHasCode = true;
    super.visitFieldInsn(opcode, fieldOwner, name, descriptor);
  }

  @Override
  public void visitMethodInsn(
      int opcode, String methodOwner, String name, String descriptor, boolean isInterface) {
    rangeHasCode = true;
    List<HookedCall> hooked = hookedCalls(opcode, name, descriptor);
    if (hooked.isEmpty()) {
      super.visitMethodInsn(opcode, methodOwner, name, descriptor, isInterface);
      return;
    }
    // The receiver and the arguments wait in slots of their own while the hooks get them too.
    int values = 1 + Type.getArgumentTypes(descriptor).length;
    for (int value = values - 1; value >= 0; value--) {
      mv.visitVarInsn(Opcodes.ASTORE, callSlots + value);
    }
    callHooks(hooked, true, values);
    loadCallValues(values);
    super.visitMethodInsn(opcode, methodOwner, name, descriptor, isInterface);
    callHooks(hooked, false, values);
  }

  /** A hook's {@link Hook.CallHook} that matches a call of the method, with the hook's index. */
  private record HookedCall(int hook, Hook.CallHook call) {}

  /**
   * The call hooks of a call instruction: none for a static or constructor call, nor in a
   * constructor, whose enter hooks (and so their states) are not woven.
   */
  private List<HookedCall> hookedCalls(int opcode, String name, String descriptor) {
    if (callSlotCount == 0
        || isConstructor
        || opcode != Opcodes.INVOKEVIRTUAL && opcode != Opcodes.INVOKEINTERFACE) {
      return List.of(); // callSlotCount is 0 when no hook has call hooks
    }
    List<HookedCall> hooked = new ArrayList<>();
    for (int i = 0; i < hooks.size(); i++) {
      for (Hook.CallHook call : hooks.get(i).calls()) {
        if (call.name().equals(name) && call.descriptor().equals(descriptor)) {
          hooked.add(new HookedCall(i, call));
        }
      }
    }
    return hooked;
  }

  private void callHooks(List<HookedCall> hooked, boolean before, int values) {
    for (HookedCall each : hooked) {
      if (each.call().before() == before) {
        mv.visitVarInsn(Opcodes.ALOAD, stateSlots[each.hook()]);
        loadCallValues(values);
        mv.visitMethodInsn(
            Opcodes.INVOKESTATIC,
            Hook.WOVEN,
            each.call().woven(),
            each.call().wovenDescriptor(),
            false);
      }
    }
  }

  private void loadCallValues(int values) {
    for (int value = 0; value < values; value++) {
      mv.visitVarInsn(Opcodes.ALOAD, callSlots + value);
    }
  }

  @Override
  public void visitInvokeDynamicInsn(
      String name,
      String descriptor,
      org.objectweb.asm.Handle bootstrapMethodHandle,
      Object... bootstrapMethodArguments) {
    rangeHasCode = true;
    super.visitInvokeDynamicInsn(name, descriptor, bootstrapMethodHandle, bootstrapMethodArguments);
  }

  @Override
  public void visitJumpInsn(int opcode, Label label) {
    rangeHasCode = true;
    super.visitJumpInsn(opcode, label);
  }

  @Override
  public void visitLdcInsn(Object value) {
    rangeHasCode = true;
    super.visitLdcInsn(value);
  }

  @Override
  public void visitIincInsn(int varIndex, int increment) {
    rangeHasCode = true;
    super.visitIincInsn(varIndex, increment);
  }

  @Override
  public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
    rangeHasCode = true;
    super.visitTableSwitchInsn(min, max, dflt, labels);
  }

  @Override
  public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
    rangeHasCode = true;
    super.visitLookupSwitchInsn(dflt, keys, labels);
  }

  @Override
  public void visitMultiANewArrayInsn(String descriptor, int numDimensions) {
    rangeHasCode = true;
    super.visitMultiANewArrayInsn(descriptor, numDimensions);
  }
}
