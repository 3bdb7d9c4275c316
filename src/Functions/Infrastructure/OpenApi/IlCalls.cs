using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;

namespace CoursePlatform.Functions.Infrastructure.OpenApi;

/// <summary>One IL instruction of interest: its opcode, the member its token names (if any) and an int constant.</summary>
internal readonly record struct IlInstruction(OpCode OpCode, MemberInfo? Member, string? String, long? Constant);

/// <summary>
/// Reads a method body's instructions (opcodes with the members, strings and constants they name), so the
/// OpenAPI generator can see what a function really calls: <c>ReadJsonAsync&lt;T&gt;</c>, the response helpers,
/// <c>request.Query["x"]</c>, and which <see cref="Problems.ProblemCodes"/> its code can reach.
/// </summary>
internal static class IlReader
{
    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    public static IReadOnlyList<IlInstruction> Read(MethodBase method)
    {
        var body = method.GetMethodBody()?.GetILAsByteArray();
        if (body is null) return [];
        var module = method.Module;
        Type[]? typeArgs = method.DeclaringType is { IsGenericType: true } declaring ? declaring.GetGenericArguments() : null;
        Type[]? methodArgs = method is MethodInfo { IsGenericMethod: true } generic ? generic.GetGenericArguments() : null;
        var result = new List<IlInstruction>();
        var position = 0;
        while (position < body.Length)
        {
            short value = body[position++];
            if (value == 0xFE) value = (short)(0xFE00 | body[position++]);
            if (!OpCodesByValue.TryGetValue(value, out var opCode)) break;
            MemberInfo? member = null;
            string? text = null;
            long? constant = null;
            switch (opCode.OperandType)
            {
                case OperandType.InlineNone:
                    constant = ShortFormConstant(opCode);
                    break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineVar:
                    position += 1;
                    break;
                case OperandType.ShortInlineI:
                    constant = opCode == OpCodes.Ldc_I4_S ? (sbyte)body[position] : body[position];
                    position += 1;
                    break;
                case OperandType.InlineVar:
                    position += 2;
                    break;
                case OperandType.InlineI:
                    constant = BitConverter.ToInt32(body, position);
                    position += 4;
                    break;
                case OperandType.InlineBrTarget or OperandType.ShortInlineR or OperandType.InlineSig:
                    position += 4;
                    break;
                case OperandType.InlineI8 or OperandType.InlineR:
                    position += 8;
                    break;
                case OperandType.InlineSwitch:
                    var count = BitConverter.ToInt32(body, position);
                    position += 4 + 4 * count;
                    break;
                case OperandType.InlineString:
                    text = Resolve(() => module.ResolveString(BitConverter.ToInt32(body, position)));
                    position += 4;
                    break;
                case OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineType or OperandType.InlineTok:
                    var token = BitConverter.ToInt32(body, position);
                    member = Resolve<MemberInfo>(() => module.ResolveMember(token, typeArgs, methodArgs)!);
                    position += 4;
                    break;
                default:
                    position += 4;
                    break;
            }
            result.Add(new IlInstruction(opCode, member, text, constant));
        }
        return result;
    }

    /// <summary>The methods whose bodies run as part of <paramref name="method"/>: its async or iterator state machine.</summary>
    public static IEnumerable<MethodBase> Companions(MethodBase method)
    {
        var machine = method.GetCustomAttribute<AsyncStateMachineAttribute>()?.StateMachineType
            ?? method.GetCustomAttribute<IteratorStateMachineAttribute>()?.StateMachineType;
        if (machine is not null)
        {
            foreach (var moveNext in machine.GetMethods(BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.DeclaredOnly))
                yield return moveNext;
        }
    }

    private static long? ShortFormConstant(OpCode opCode) =>
        opCode == OpCodes.Ldc_I4_M1 ? -1
        : opCode.Value >= OpCodes.Ldc_I4_0.Value && opCode.Value <= OpCodes.Ldc_I4_8.Value ? opCode.Value - OpCodes.Ldc_I4_0.Value
        : null;

    private static T? Resolve<T>(Func<T> resolve) where T : class
    {
        try
        {
            return resolve();
        }
        catch (ArgumentException)
        {
            return null;
        }
        catch (BadImageFormatException)
        {
            return null;
        }
    }
}
