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
    /// <summary>
    /// Fetches one page and the total in one round trip (the count rides along as an uncorrelated subquery, computed
    /// once); only a page past the end, which has no row to carry it, counts in a second query. The query must already
    /// be ordered (stable paging).
    /// </summary>
    public static async Task<PagedList<T>> ToPageAsync<T>(this IQueryable<T> query, PageRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(request);
        var rows = await query.Skip(request.Skip).Take(request.PageSize)
            .Select(item => new Counted<T>(item, query.Count()))
            .ToListAsync(cancellationToken);
        var total = rows.Count > 0 ? rows[0].Total : request.Page == 1 ? 0 : await query.CountAsync(cancellationToken);
        return new PagedList<T>([.. rows.Select(r => r.Item)], request.Page, request.PageSize, total);
    }

    private sealed record Counted<T>(T Item, int Total);
}
