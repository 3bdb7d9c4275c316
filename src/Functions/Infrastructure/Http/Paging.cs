using System.Globalization;
using CoursePlatform.Functions.Infrastructure.Problems;
using Microsoft.Azure.Functions.Worker.Http;
using Microsoft.EntityFrameworkCore;

namespace CoursePlatform.Functions.Infrastructure.Http;

/// <summary>A page of a list: <c>{ items, page, pageSize, total }</c>.</summary>
public sealed record PagedList<T>(IReadOnlyList<T> Items, int Page, int PageSize, int Total);

/// <summary><c>?page=&amp;pageSize=</c>: page from 1, size 1..100, 20 by default.</summary>
public sealed record PageRequest(int Page, int PageSize)
{
    public const int DefaultSize = 20;
    public const int MaxSize = 100;

    public int Skip => (Page - 1) * PageSize;

    public static PageRequest From(HttpRequestData request)
    {
        var errors = new Dictionary<string, string[]>();
        var page = Parse(request.Query["page"], 1, "page", 1, int.MaxValue / MaxSize, errors);
        var size = Parse(request.Query["pageSize"], DefaultSize, "pageSize", 1, MaxSize, errors);
        return errors.Count > 0 ? throw ProblemException.Validation(errors) : new PageRequest(page, size);
    }

    private static int Parse(string? text, int fallback, string field, int min, int max, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text)) return fallback;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max) return value;
        errors[field] = [$"Must be a whole number from {min} to {max}."];
        return fallback;
    }
}

public static class PagingExtensions
{
    /// <summary>Counts and fetches one page; the query must already be ordered (stable paging).</summary>
    public static async Task<PagedList<T>> ToPageAsync<T>(this IQueryable<T> query, PageRequest request, CancellationToken cancellationToken)
    {
        var total = await query.CountAsync(cancellationToken);
        var items = total == 0 ? [] : await query.Skip(request.Skip).Take(request.PageSize).ToListAsync(cancellationToken);
        return new PagedList<T>(items, request.Page, request.PageSize, total);
    }
}
