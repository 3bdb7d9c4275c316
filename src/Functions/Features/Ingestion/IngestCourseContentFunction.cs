using Azure.Storage.Blobs;
using Microsoft.Azure.Functions.Worker;

namespace CoursePlatform.Functions.Features.Ingestion;

/// <summary>
/// Fires for every new or changed blob in <c>course-content</c>: Event Grid delivers it in Azure
/// (Flex Consumption has no polling blob trigger), the local host on uploads to Azurite.
/// Bad files end as a failed log row; only infrastructure trouble throws, so the trigger retries it.
/// </summary>
public sealed class IngestCourseContentFunction(IngestionService ingestion)
{
    [Function("IngestCourseContent")]
    public async Task Run(
        [BlobTrigger(IngestionOptions.Container + "/{name}", Source = BlobTriggerSource.EventGrid)] BlobClient blob,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blob);
        await ingestion.IngestAsync(blob, cancellationToken);
    }
}
