using System.Net;
using CoursePlatform.Functions.Infrastructure;
using CoursePlatform.Functions.Infrastructure.Auth;
using CoursePlatform.Functions.Infrastructure.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace CoursePlatform.Functions.Features.Cart;

/// <summary>The signed-in learner's cart, saved-for-later list and checkout.</summary>
public sealed class CartFunctions(CartService cart, CheckoutService checkout)
{
    /// <summary><c>{ lines, savedForLater, total }</c>; personal, so never cached by anyone else.</summary>
    [Function("GetCart")]
    [Allow(Callers.SignedIn)]
    public async Task<HttpResponseData> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "cart")] HttpRequestData request,
        FunctionContext context, CancellationToken cancellationToken) =>
        await request.PrivateJsonAsync(await cart.GetAsync(context.RequireCaller().UserId, cancellationToken), cancellationToken);

    /// <summary><c>{ course }</c> -> <c>{ outcome, cart }</c>: 201 when a line was added, 200 when already in the cart or owned.</summary>
    [Function("AddCartLine")]
    [Allow(Callers.SignedIn)]
    public async Task<HttpResponseData> Add(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "cart/lines")] HttpRequestData request,
        FunctionContext context, CancellationToken cancellationToken)
    {
        var userId = context.RequireCaller().UserId;
        var body = await request.ReadJsonAsync<AddToCartRequest>(cancellationToken);
        return await Change(request, await cart.AddAsync(userId, body, cancellationToken), body.Course!, cancellationToken);
    }

    /// <summary>One line of the cart: where the <c>Location</c> of <c>AddCartLine</c> points; 404 when the course is not in the cart.</summary>
    [Function("GetCartLine")]
    [Allow(Callers.SignedIn)]
    public async Task<HttpResponseData> Line(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "cart/lines/{course}")] HttpRequestData request,
        string course, FunctionContext context, CancellationToken cancellationToken) =>
        await request.PrivateJsonAsync(await cart.GetLineAsync(context.RequireCaller().UserId, course, cancellationToken), cancellationToken);

    [Function("RemoveCartLine")]
    [Allow(Callers.SignedIn)]
    public async Task<HttpResponseData> Remove(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "cart/lines/{course}")] HttpRequestData request,
        string course, FunctionContext context, CancellationToken cancellationToken)
    {
        await cart.RemoveAsync(context.RequireCaller().UserId, course, cancellationToken);
        return request.NoContent();
    }

    [Function("SaveCartLineForLater")]
    [Allow(Callers.SignedIn)]
    public async Task<HttpResponseData> SaveForLater(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "cart/lines/{course}/save-for-later")] HttpRequestData request,
        string course, FunctionContext context, CancellationToken cancellationToken) =>
        await request.OkAsync(await cart.SaveForLaterAsync(context.RequireCaller().UserId, course, cancellationToken), cancellationToken);

    [Function("MoveSavedToCart")]
    [Allow(Callers.SignedIn)]
    public async Task<HttpResponseData> MoveToCart(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "cart/saved/{course}/move-to-cart")] HttpRequestData request,
        string course, FunctionContext context, CancellationToken cancellationToken) =>
        await Change(request, await cart.MoveToCartAsync(context.RequireCaller().UserId, course, cancellationToken), course, cancellationToken);

    /// <summary>Not in api.md: drops a saved-for-later item (204; 404 when it is not saved).</summary>
    [Function("RemoveSavedItem")]
    [Allow(Callers.SignedIn)]
    public async Task<HttpResponseData> RemoveSaved(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "cart/saved/{course}")] HttpRequestData request,
        string course, FunctionContext context, CancellationToken cancellationToken)
    {
        await cart.RemoveSavedAsync(context.RequireCaller().UserId, course, cancellationToken);
        return request.NoContent();
    }

    /// <summary>Clears the live cart; the saved-for-later list stays.</summary>
    [Function("ClearCart")]
    [Allow(Callers.SignedIn)]
    public async Task<HttpResponseData> Clear(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "cart")] HttpRequestData request,
        FunctionContext context, CancellationToken cancellationToken)
    {
        await cart.ClearAsync(context.RequireCaller().UserId, cancellationToken);
        return request.NoContent();
    }

    /// <summary>200 with what became of every line; 409 when the cart is empty (or another checkout took it).</summary>
    [Function("Checkout")]
    [Allow(Callers.SignedIn)]
    public async Task<HttpResponseData> Checkout(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "cart/checkout")] HttpRequestData request,
        FunctionContext context, CancellationToken cancellationToken) =>
        await request.OkAsync(await checkout.CheckoutAsync(context.RequireCaller().UserId, cancellationToken), cancellationToken);

    /// <summary>201 with the new line's URL when a line was added, else 200.</summary>
    private static Task<HttpResponseData> Change(HttpRequestData request, CartChange change, string course, CancellationToken cancellationToken) =>
        request.CreatedOrOkAsync(change.Outcome == CartOutcome.Added, change, $"cart/lines/{course}", cancellationToken);
}
