using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Text;
using Azure.Storage.Blobs;
using Azure.Storage.Sas;
using CoursePlatform.Data;
using CoursePlatform.Functions.Features.Ingestion.Extraction;
using CoursePlatform.Functions.Courses;
using CoursePlatform.Functions.Infrastructure.Http;
using CoursePlatform.Functions.Infrastructure.Problems;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CoursePlatform.Functions.Features.Ingestion;

public sealed record UploadRequest
{
    [Required, StringLength(255, MinimumLength = 1)]
    public string FileName { get; init; } = "";

    public Guid? TopicId { get; init; }
}

/// <summary>
/// Where to PUT the file, and <c>Path</c>: the source's one name from then on (the sources list, <c>?path=</c>, the
/// ingestion log, search and tutor <c>source</c>), the path inside the course.
/// </summary>
public sealed record UploadTicket([property: WebUrl] string UploadUrl, string Path, DateTimeOffset ExpiresAt);

/// <summary>
/// Issues the URL an admin's browser PUTs a deck or transcript to: a SAS scoped to exactly one blob,
/// create/write only (no read, no list, no delete), valid for <see cref="IngestionOptions.UploadUrlMinutes"/>.
/// Signed with the account key where there is one (Azurite) and with a user-delegation key under
/// managed identity. The upload itself fires the blob trigger; nothing else is needed.
/// </summary>
public sealed class UploadService(
    BlobServiceClient blobs, CoursePlatformDbContext db, CourseResolver courses, IOptions<IngestionOptions> options, TimeProvider time)
{
    /// <summary>Longest sanitised file name kept (extension included).</summary>
    public const int MaxFileNameLength = 120;

    public async Task<UploadTicket> CreateAsync(string courseKey, UploadRequest request, CancellationToken cancellationToken) =>
        await CreateAsync((await courses.ResolveAsync(courseKey, cancellationToken)).Id, request, cancellationToken);

    public async Task<UploadTicket> CreateAsync(Guid courseId, UploadRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ClientPath.Require("fileName", request.FileName, maxSegments: 1, "Give the file's own name, such as deck.pptx.");
        var fileName = SanitizeFileName(request.FileName);
        if (fileName is null)
            throw ProblemException.Validation("fileName", "Give a file name with letters or digits before the extension.");
        if (!ContentExtractors.IsSupported(fileName))
            throw ProblemException.Validation("fileName", ContentExtractors.UnsupportedMessage(fileName));
        if (request.TopicId is { } topicId && !await db.Topics.AnyAsync(t => t.Id == topicId && t.CourseId == courseId, cancellationToken))
            throw ProblemException.Validation("topicId", "Not a topic of this course.");

        var path = new ContentPath(courseId, request.TopicId, fileName);
        var container = blobs.GetBlobContainerClient(IngestionOptions.Container);
        await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        var blob = container.GetBlobClient(path.BlobName);

        var now = time.GetUtcNow();
        var expiresAt = now.AddMinutes(options.Value.UploadUrlMinutes);
        var sas = new BlobSasBuilder(BlobSasPermissions.Create | BlobSasPermissions.Write, expiresAt)
        {
            BlobContainerName = container.Name,
            BlobName = blob.Name,
            Resource = "b",
            StartsOn = now.AddMinutes(-5), // tolerate clock skew between us and storage
            Protocol = blob.Uri.Scheme == Uri.UriSchemeHttps ? SasProtocol.Https : SasProtocol.HttpsAndHttp,
        };

        Uri uploadUrl;
        if (blob.CanGenerateSasUri)
        {
            uploadUrl = blob.GenerateSasUri(sas);
        }
        else
        {
            var key = await blobs.GetUserDelegationKeyAsync(sas.StartsOn, expiresAt, cancellationToken);
            uploadUrl = new BlobUriBuilder(blob.Uri) { Sas = sas.ToSasQueryParameters(key.Value, blobs.AccountName) }.ToUri();
        }
        return new UploadTicket(uploadUrl.ToString(), path.CoursePath, expiresAt);
    }

    /// <summary>
    /// The last path segment, with anything but ASCII letters, digits, '.', '-' and '_' turned into '-',
    /// runs collapsed, the extension lower-cased; null when nothing usable is left. A name with non-ASCII
    /// characters gets a short hash of the original before its extension, so names that differ only in
    /// those characters (<c>ünïcödé名前.md</c>, <c>ünïcödé別.md</c>) stay two files instead of replacing
    /// each other's chunks, and the same name always maps to the same blob (a new version of it).
    /// </summary>
    public static string? SanitizeFileName(string? name)
    {
        var last = (name ?? "").Replace('\\', '/').Split('/')[^1].Trim();
        var extension = Clean(Path.GetExtension(last)).ToLowerInvariant();
        extension = extension.Length > 0 ? "." + extension : "";
        var stem = Clean(Path.GetFileNameWithoutExtension(last));
        var lossy = last.Any(c => !char.IsAscii(c));
        if (!stem.Any(char.IsAsciiLetterOrDigit) && !lossy) return null;
        var suffix = lossy ? "-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(last.Normalize(NormalizationForm.FormC))))[..8] : "";
        var room = MaxFileNameLength - extension.Length - suffix.Length;
        if (stem.Length > room) stem = stem[..room].TrimEnd('-', '.', '_');
        return (stem.Length == 0 ? "file" : stem) + suffix + extension;

        // ASCII letters, digits, '.', '-' and '_' kept; anything else becomes '-', runs collapsed, ends trimmed.
        static string Clean(string text)
        {
            var builder = new StringBuilder(text.Length);
            foreach (var c in text)
            {
                var next = char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '-';
                if (next == '-' && builder.Length > 0 && builder[^1] == '-') continue;
                builder.Append(next);
            }
            return builder.ToString().Trim('-', '.', '_');
        }
    }
}
